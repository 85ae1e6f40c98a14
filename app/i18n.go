package app

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Lang is the language of the page.
type Lang uint8

// The page's languages.
const (
	LangEN Lang = iota // English
	LangZH             // Simplified Chinese
)

// Code is the language's code in URLs and the lang attribute.
func (l Lang) Code() string {
	if l == LangZH {
		return "zh"
	}
	return "en"
}

// HTMLLang is the value of the document's lang attribute.
func (l Lang) HTMLLang() string {
	if l == LangZH {
		return "zh-Hans"
	}
	return "en"
}

// ParseLang reads a language code ("en", "zh", "zh-CN", "zh-Hans").
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(s)
	switch {
	case s == "en" || strings.HasPrefix(s, "en-"):
		return LangEN, true
	case s == "zh" || strings.HasPrefix(s, "zh-"):
		return LangZH, true
	}
	return LangEN, false
}

// T returns the message key in language l, formatted with args. A key
// missing from the catalogue is returned as it is, so a gap shows up on the
// page rather than as a blank.
func (l Lang) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[l]
	if s == "" {
		s = m[LangEN]
	}
	if len(args) > 0 {
		if l == LangZH {
			s = joinHan(s, args)
		}
		return fmt.Sprintf(s, args...)
	}
	return s
}

// joinHan drops the space after a %s in a Chinese message when the
// argument ends in a Chinese character and the message goes on in one: a
// space sets a Latin name apart ("HTTP/2 的时序图"), but between two Chinese
// words it is a gap ("每 5 秒短轮询 的时序图"). The arguments themselves are
// never changed: they may be a file's name or a value someone typed.
func joinHan(s string, args []any) string {
	k := 0 // the argument the next verb formats
	for i := 0; i < len(s)-1; i++ {
		if s[i] != '%' {
			continue
		}
		if s[i+1] == '%' {
			i++
			continue
		}
		if k < len(args) && strings.HasPrefix(s[i:], "%s ") {
			if arg, ok := args[k].(string); ok {
				last, _ := utf8.DecodeLastRuneInString(arg)
				next, _ := utf8.DecodeRuneInString(s[i+3:])
				// RuneError: an empty argument, or the template's end.
				if last >= 0x2E80 && next >= 0x2E80 && last != utf8.RuneError && next != utf8.RuneError {
					s = s[:i+2] + s[i+3:]
				}
			}
		}
		k++
	}
	return s
}

// Notice formats a notice. The reason a file or a setting cannot be used,
// in English from the scenario decoder and validator, is the last argument
// of the notices that give one: it is put in the page's language (Detail).
func (l Lang) Notice(n Notice) string {
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		args[i] = a
	}
	switch n.Key {
	case "saved.importerr", "saved.error", "share.dlerror":
		args[len(args)-1] = l.Detail(n.Args[len(n.Args)-1])
	case "notice.unexposed":
		// The scenario, by name: its title follows the language the page
		// is switched to (the URL's stayed, Chinese on an English page).
		if e, ok := LibraryLookup(n.Args[len(n.Args)-1]); ok {
			args[len(args)-1] = e.Title[l]
		}
	}
	return l.T(n.Key, args...)
}

// Detail puts an error's reason in the page's language. Reasons come from
// the scenario decoder and validator (sim/scenario) and the saved-file
// reader, in English, a line each, most in a few shapes after the JSON path
// they name: "v is out of range (a to b)", "found x; want y", "unknown
// field (the fields here are …)", "v is not a number; want a duration
// such as …", "missing; want y", and "line 3, column 7: not valid JSON: …".
// A line of one of these shapes has its words translated; its path, its
// values and lists, and the explanations some lines go on with, stay as
// they are, so it still names what to fix. Other lines stay English.
func (l Lang) Detail(s string) string {
	if l != LangZH {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = detailLineZH(line)
	}
	return strings.Join(lines, "\n")
}

// detailLineZH is one line of Detail in Chinese.
func detailLineZH(s string) string {
	switch {
	case s == "the file is empty":
		return "文件为空"
	case strings.HasPrefix(s, "line "):
		at, rest, _ := strings.Cut(s[len("line "):], ": ")
		line, col, hasCol := strings.Cut(at, ", column ")
		where := "第 " + line + " 行"
		if hasCol {
			where += "第 " + col + " 列"
		}
		switch {
		case rest == "the file ends in the middle of the JSON":
			return where + "：文件在 JSON 中途结束"
		case rest == "not valid JSON: more follows the object":
			return where + "：不是有效的 JSON：对象之后还有内容"
		case strings.HasPrefix(rest, "not valid JSON: "):
			return where + "：不是有效的 JSON：" + rest[len("not valid JSON: "):]
		case strings.HasSuffix(rest, " is not UTF-8 text; a scenario file is UTF-8"):
			b := strings.TrimSuffix(strings.TrimPrefix(rest, "the byte "), " is not UTF-8 text; a scenario file is UTF-8")
			return where + "：字节 " + b + " 不是 UTF-8 文本；场景文件须为 UTF-8 编码"
		}
		return s
	}
	path, rest, ok := strings.Cut(s, ": ")
	if !ok {
		return s
	}
	var zh string
	if phrase, ok := detailPhrasesZH[rest]; ok {
		zh = phrase
	} else if v, rng, ok := strings.Cut(rest, " is out of range ("); ok {
		// "(0 to 20s)": the range's first " to ", where what comes
		// before it is one value ("(after 0, up to 24h)" stays).
		if a, b, ok := strings.Cut(rng, " to "); ok && !strings.Contains(a, " ") {
			rng = a + " 至 " + b
		}
		if r, tail, ok := strings.Cut(rng, ")"); ok {
			rng = r + "）" + tail
		}
		zh = v + " 超出范围（" + rng
	} else if v, want, ok := strings.Cut(rest, " is not a number; want "); ok {
		kind, example, ok := strings.Cut(want, " such as ")
		if !ok {
			return s
		}
		zh = v + " 不是数字；应为" + wantZH(kind) + "，例如 " + example
	} else if found, want, ok := strings.Cut(rest, "; want "); ok && strings.HasPrefix(found, "found ") {
		zh = "实际为" + wantZH(found[len("found "):]) + "；应为" + wantZH(want)
	} else if want, found, ok := strings.Cut(rest, ", found "); ok && strings.HasPrefix(want, "want ") {
		zh = "应为" + wantZH(want[len("want "):]) + "，实际为 " + found
	} else if list, ok := strings.CutPrefix(rest, "unknown field (the fields here are "); ok {
		zh = "未知字段（此处的字段有 " + strings.TrimSuffix(list, ")") + "）"
	} else if why, ok := strings.CutPrefix(rest, "missing; "); ok {
		if want, ok := strings.CutPrefix(why, "want "); ok {
			why = "应为" + wantZH(want)
		}
		zh = "缺失；" + why
	} else if v, n, ok := strings.Cut(rest, " is not a version this page reads ("); ok {
		zh = v + " 不是本页面能读取的版本（" + strings.TrimSuffix(n, ")") + "）"
	} else if v, use, ok := strings.Cut(rest, " is not a protocol (use "); ok {
		zh = v + " 不是协议（可用 " + strings.TrimSuffix(use, ")") + "）"
	} else if v, use, ok := strings.Cut(rest, " is not a TLS version (use "); ok {
		zh = v + " 不是 TLS 版本（可用 " + strings.TrimSuffix(use, ")") + "）"
	} else if use, ok := strings.CutPrefix(rest, "none given (use "); ok {
		zh = "未指定（可用 " + strings.TrimSuffix(use, ")") + "）"
	} else if at, ok := strings.CutPrefix(rest, "has a control character ("); ok && strings.HasSuffix(at, "); write plain text") {
		code, nth, _ := strings.Cut(strings.TrimSuffix(at, "); write plain text"), ", character ")
		zh = "含控制字符（" + code + "，第 " + nth + " 个字符）；请写纯文本"
	} else if v, ok := strings.CutPrefix(rest, "this file is version "); ok {
		file, mine, _ := strings.Cut(v, ", newer than this httpsim understands (version ")
		zh = "此文件为第 " + file + " 版，比本 httpsim 能读取的版本（第 " + strings.TrimSuffix(mine, "); please update httpsim to open it") + " 版）新；请更新 httpsim 后再打开"
	} else {
		return s
	}
	return path + "：" + zh
}

// detailPhrasesZH are whole reasons, after their path, that come in one
// wording only (the saved-file reader's and the validator's).
var detailPhrasesZH = map[string]string{
	"given twice in one object; give it once":                   "在同一对象中出现了两次；请只写一次",
	`want "httpsim-view" (a saved view) or a scenario document`: `应为 "httpsim-view"（已保存的视图）或场景文档`,
	"want a number": "应为数字",
	"want a string": "应为字符串",
	"want 1 to 64 characters, no space at either end and no control character or direction override": "应为 1 至 64 个字符，两端不留空格，不含控制字符或方向控制符",
	"want an object of settings":                                "应为设置对象",
	"want a string, number or boolean":                          "应为字符串、数字或布尔值",
	"want a JSON object":                                        "应为 JSON 对象",
	"0-RTT needs TLS 1.3 and a resumed session (RFC 8446 §2.3)": "0-RTT 需要 TLS 1.3 和恢复的会话（RFC 8446 §2.3）",
}

// wantZH names in Chinese a kind of value a reason found or wants: "a
// number (1.5)", "a whole number, 0 or more", "a duration". What it does
// not know stays as it is, after a space.
func wantZH(what string) string {
	kinds := strings.Split(detailKinds, "|")
	for i := 0; i+1 < len(kinds); i += 2 {
		if rest, ok := strings.CutPrefix(what, kinds[i]); ok && (rest == "" || rest[0] == ' ') {
			if example, ok := strings.CutPrefix(rest, " such as "); ok {
				rest = "，例如 " + example // "a duration such as "100ms""
			}
			if zh := kinds[i+1]; zh[0] < 0x80 {
				return " " + zh + rest // "应为 JSON 对象"
			}
			return kinds[i+1] + rest
		}
	}
	return " " + what
}

// detailKinds are the kinds of values reasons name, and their Chinese
// names, "|" between each; a kind comes before the shorter ones it starts
// with ("a whole number, 0 or more" before "a whole number").
const detailKinds = "a whole number, 0 or more|非负整数|a whole number|整数|a number|数字|a string|字符串|" +
	"a boolean|布尔值|a list|列表|an object with|对象，含|an object|对象|a JSON object|JSON 对象|" +
	"true or false|true 或 false|a value|值|a duration|时长|a rate|速率|a size|大小|a percentage|百分比"

// Space is what separates two sentences put together from parts: a space
// in English, nothing in Chinese.
func (l Lang) Space() string {
	if l == LangZH {
		return ""
	}
	return " "
}

// messages is the catalogue: English and Simplified Chinese for every key.
// The Chinese uses the field's usual terms: 队头阻塞 (head-of-line blocking),
// 拥塞窗口 (congestion window), 往返时延 (round-trip time), 丢包率 (loss
// rate), 带宽 (bandwidth), 流 (stream), 帧 (frame), 重传 (retransmission),
// 握手 (handshake), 首部压缩 (header compression).
var messages = map[string][2]string{
	"app.tagline": {"HTTP/1.1, HTTP/2 and HTTP/3 over TCP and QUIC, simulated packet by packet.",
		"逐个数据包模拟 TCP 与 QUIC 上的 HTTP/1.1、HTTP/2 和 HTTP/3。"},
	"lang.switch":     {"Language", "语言"},
	"lang.en":         {"English", "English"},
	"lang.zh":         {"中文", "中文"},
	"skip.main":       {"Skip to the views", "跳到视图"},
	"views.main":      {"Views", "视图"},
	"open.full":       {"Open in httpsim ↗", "在 httpsim 中打开 ↗"},
	"share.copy":      {"Copy link", "复制链接"},
	"share.copied":    {"Link copied.", "链接已复制。"},
	"share.nocopy":    {"Copy the link below by hand.", "请手动复制下面的链接。"},
	"share.embed":     {"Embed", "嵌入"},
	"share.url":       {"Link to this exact view", "指向当前视图的链接"},
	"share.snippet":   {"HTML to embed the chosen panels in a course page", "在课程页面中嵌入所选面板的 HTML"},
	"share.close":     {"Close", "关闭"},
	"share.document":  {"Download the scenario (JSON for httpsim run)", "下载场景文件（供 httpsim run 使用的 JSON）"},
	"share.runs":      {"Download a run", "下载运行数据"},
	"share.pcap":      {"Packets for Wireshark (pcap)", "抓包文件，供 Wireshark 打开（pcap）"},
	"share.qlog":      {"Events for qvis (qlog)", "事件日志，供 qvis 打开（qlog）"},
	"share.nopcap":    {"HTTP/3 runs over QUIC: a pcap file here holds TCP packets only, so download its qlog file.", "HTTP/3 运行在 QUIC 之上：这里的 pcap 文件只含 TCP 数据包，请改为下载 qlog 文件。"},
	"share.dlerror":   {"Download failed: %s", "下载失败：%s"},
	"share.preparing": {"Preparing the file…", "正在生成文件…"},
	"share.figure":    {"Save a panel at the scrub time as a figure", "把当前时刻的面板保存为图片"},
	"share.svg":       {"SVG figure", "SVG 矢量图"},

	"picker.title":     {"Scenario", "场景"},
	"picker.label":     {"Scenario", "场景"},
	"picker.builtin":   {"Built-in", "内置"},
	"picker.saved":     {"Saved", "已保存"},
	"saved.title":      {"Saved scenarios", "已保存的场景"},
	"saved.name":       {"Name", "名称"},
	"saved.save":       {"Save", "保存"},
	"saved.load":       {"Load", "载入"},
	"saved.rename":     {"Rename", "重命名"},
	"saved.delete":     {"Delete", "删除"},
	"saved.export":     {"Export", "导出"},
	"saved.import":     {"Import a scenario file", "导入场景文件"},
	"saved.choose":     {"Choose a JSON file…", "选择 JSON 文件…"},
	"saved.empty":      {"Nothing saved yet.", "尚未保存任何场景。"},
	"saved.loading":    {"Reading saved scenarios…", "正在读取已保存的场景…"},
	"saved.saved":      {"Saved “%s”.", "已保存“%s”。"},
	"saved.loaded":     {"Loaded “%s”.", "已载入“%s”。"},
	"saved.renamed":    {"Renamed “%s” to “%s”.", "已将“%s”重命名为“%s”。"},
	"saved.deleted":    {"Deleted “%s”.", "已删除“%s”。"},
	"saved.imported":   {"Imported “%s”.", "已导入“%s”。"},
	"saved.corrupt":    {"“%s” cannot be read: %s", "无法读取“%s”：%s"},
	"saved.error":      {"Storage error: %s", "存储出错：%s"},
	"saved.badname":    {"Give a name of 1 to 64 characters on one line, with no space at either end and no control character or direction override.", "请输入 1 到 64 个字符的单行名称，首尾不能有空格，不能含控制字符或文字方向控制符。"},
	"saved.taken":      {"Another saved scenario is called “%s”; delete it first or choose another name.", "已有名为“%s”的场景；请先删除它或另选名称。"},
	"saved.exists":     {"A saved scenario is already called “%s”. Replace it with the current state?", "已有名为“%s”的场景。要用当前状态替换它吗？"},
	"saved.replace":    {"Replace “%s”", "替换“%s”"},
	"saved.cancel":     {"Cancel", "取消"},
	"saved.notsaved":   {"“%s” was not saved: a saved scenario already has that name. Save again to replace it, or choose another name.", "未保存“%s”：已有同名的场景。再次保存可选择替换，或另选名称。"},
	"saved.toolarge":   {"“%s” has %s bytes; a scenario file has at most %s (2,000 resources take about 200 KB).", "“%s”有 %s 字节；场景文件最多 %s 字节（2,000 个资源约 200 KB）。"},
	"saved.importerr":  {"“%s” is not a scenario file httpsim can read: %s", "“%s”不是 httpsim 能读取的场景文件：%s"},
	"saved.newname":    {"New name for “%s”", "“%s”的新名称"},
	"saved.memory":     {"This browser keeps no storage for the page; saved scenarios last until it is closed.", "此浏览器不为本页保留存储；已保存的场景在关闭页面后消失。"},
	"controls.title":   {"Settings", "参数"},
	"controls.network": {"Network", "网络"},
	"controls.http":    {"HTTP", "HTTP"},
	"ctl.loss":         {"Loss rate (server → client)", "丢包率（服务器 → 客户端）"},
	"ctl.burst":        {"Mean loss burst", "平均突发丢包长度"},
	"ctl.burst.value":  {"%d packets", "%d 个包"},
	"ctl.burst.one":    {"independent", "独立丢包"},
	"ctl.rtt":          {"Round-trip time", "往返时延 (RTT)"},
	"ctl.bw":           {"Bandwidth", "带宽"},
	"ctl.seed":         {"Seed", "随机种子"},
	"ctl.reroll":       {"Reroll", "换一个"},
	"ctl.reroll.label": {"Reroll: pick another random seed", "换一个：随机选择另一个种子"},
	"ctl.protocols":    {"Protocols to compare", "比较的协议"},
	"ctl.scheduler":    {"HTTP/2 scheduler", "HTTP/2 调度器"},
	"sched.urgency":    {"priorities (RFC 9218)", "按优先级（RFC 9218）"},
	"sched.rr":         {"round-robin", "轮转"},
	"sched.seq":        {"one at a time", "逐个发送"},
	"ctl.conns":        {"HTTP/1.1 connections", "HTTP/1.1 连接数"},
	"ctl.pipe":         {"HTTP/1.1 pipelining", "HTTP/1.1 管线化"},
	"ctl.tls":          {"TLS", "TLS"},
	"tls.none":         {"none (plain HTTP)", "无（明文 HTTP）"},
	"ctl.0rtt":         {"0-RTT resumption", "0-RTT 会话恢复"},
	"ctl.hpack":        {"HPACK table size", "HPACK 动态表大小"},
	"ctl.qpack":        {"QPACK table size", "QPACK 动态表大小"},
	"ctl.warm":         {"Warm cache (repeat visit)", "缓存已热（再次访问）"},
	"ctl.http10":       {"HTTP/1.0 (no keep-alive)", "HTTP/1.0（无持久连接）"},
	"ctl.push":         {"HTTP/2 server push", "HTTP/2 服务器推送"},
	"ctl.size":         {"Transfer size", "传输大小"},
	"ctl.0rtt.needs":   {"needs TLS 1.3", "需要 TLS 1.3"},

	"proto.h1":  {"HTTP/1.1", "HTTP/1.1"},
	"proto.h2":  {"HTTP/2", "HTTP/2"},
	"proto.h3":  {"HTTP/3", "HTTP/3"},
	"proto.tcp": {"TCP", "TCP"},

	"tl.title":           {"Timeline", "时间轴"},
	"tl.play":            {"Play", "播放"},
	"tl.prev":            {"Previous event", "上一个事件"},
	"tl.next":            {"Next event", "下一个事件"},
	"tl.speed":           {"Speed", "速度"},
	"tl.peak":            {"Most held back", "阻塞最多时刻"},
	"tl.peak.title":      {"Go to the moment the most bytes waited in the receive buffers behind a missing one (runs side by side: each its most, together)", "跳到接收缓冲区中因缺失字节而等待的字节最多的时刻（多个运行并列时：综合各自的最多）"},
	"tl.peak.at":         {"Most held back at %s: %s.", "阻塞最多的时刻 %s：%s。"},
	"tl.peak.run":        {"%s waiting behind holes in the receive buffers of %s", "%s 在 %s 的接收缓冲区中等待空洞填补"},
	"tl.peak.more":       {"%s in those of %s", "%s 在 %s 的接收缓冲区中"},
	"tl.peak.none":       {"No byte waited behind a hole in this run.", "本次运行中没有字节在空洞后等待。"},
	"tl.scrub":           {"Time", "时间"},
	"tl.keys":            {"Keys: space plays or pauses, ← and → step between events, Shift+← and Shift+→ between losses, Home and End jump.", "快捷键：空格播放/暂停，← → 在事件间跳转，Shift+← Shift+→ 在丢包间跳转，Home/End 跳到开头/结尾。"},
	"tl.marks":           {"Marks: vermillion ticks are losses, black triangles page loads.", "标记：橙红色刻度为丢包，黑色三角为页面加载完成。"},
	"tl.marks.bulk":      {"Marks: vermillion ticks are losses, black triangles the transfer's end.", "标记：橙红色刻度为丢包，黑色三角为传输完成。"},
	"tl.marks.updates":   {"Marks: vermillion ticks are losses, black triangles the last update's arrival.", "标记：橙红色刻度为丢包，黑色三角为最后一条更新送达。"},
	"tl.time":            {"t = %s of %s", "t = %s / %s"},
	"tl.running":         {"Simulating… %d%%", "模拟中… %d%%"},
	"tl.stopped":         {"%s stopped at %s before it finished.", "%s 在%s处停止，未能完成。"},
	"tl.notloaded.limit": {"not loaded, stopped at %s", "未加载完成，在%s处停止"},
	"tl.error":           {"This setting cannot run: %s", "该设置无法运行：%s"},
	"tl.at":              {"At %s:", "%s 时："}, // the canvases' state at the scrub time
	"tl.said":            {": ", "："},         // a run's result, announced: "Page load time: HTTP/2 523.4 ms, HTTP/3 …"
	"tl.sep":             {", ", "，"},
	"tl.stop":            {".", "。"}, // the end of a sentence put together from parts
	"panels.title":       {"Panels", "面板"},

	"panel.summary":      {"Summary", "摘要"},
	"panel.ladder":       {"Packets (ladder diagram)", "数据包（时序图）"},
	"panel.lanes":        {"Streams", "流"},
	"panel.buffers":      {"Receive buffers", "接收缓冲区"},
	"panel.frames":       {"Frames", "帧"},
	"panel.hpack":        {"Header compression", "首部压缩"},
	"panel.charts":       {"Congestion control", "拥塞控制"},
	"panelshort.summary": {"Summary", "摘要"},
	"panelshort.ladder":  {"Ladder", "时序图"},
	"panelshort.lanes":   {"Streams", "流"},
	"panelshort.buffers": {"Buffers", "缓冲区"},
	"panelshort.frames":  {"Frames", "帧"},
	"panelshort.hpack":   {"HPACK/QPACK", "首部压缩"},
	"panelshort.charts":  {"Charts", "图表"},

	"ladder.aria":   {"Ladder diagram for %s: client on the left, server on the right, time downwards, packets as slanted lines; losses marked with a cross.", "%s 的时序图：左为客户端，右为服务器，时间向下，斜线为数据包，叉号为丢包。"},
	"ladder.client": {"client", "客户端"},
	"ladder.server": {"server", "服务器"},
	"ladder.edge":   {"edge", "边缘节点"},
	"lanes.aria":    {"Stream lanes for %s: one row per resource; waiting, transfer, head-of-line blocking by cause, completion marks.", "%s 的流泳道图：每行一个资源；等待、传输、按原因区分的队头阻塞以及完成标记。"},
	"buffers.aria":  {"Receive buffers for %s at the scrub time: delivered bytes, holes and the bytes waiting behind them.", "%s 在当前时刻的接收缓冲区：已交付字节、空洞以及被阻塞在其后的字节。"},
	"frames.aria":   {"Frames of %s in wire order, coloured by stream. Use the arrow keys to select a frame.", "%s 的帧（按线上顺序，按流着色）。用方向键选择帧。"},
	// The lanes' state at the scrub time, after their description, and
	// the rows held back by each cause (lanesState).
	"lanes.state":     {"%d of %d resources done; %d packets lost so far.", "%d/%d 个资源已完成；迄今丢失 %d 个数据包。"},
	"lanes.transport": {"%d held back by another stream's loss.", "%d 个因其他流的丢包被阻塞。"},
	"lanes.loss":      {"%d waiting for their own lost bytes.", "%d 个等待自身丢失的字节。"},
	"lanes.http":      {"%d queued behind an earlier response.", "%d 个排在先前的响应之后。"},
	"lanes.qpack":     {"%d waiting for QPACK's encoder stream.", "%d 个等待 QPACK 编码器流。"},
	"lanes.handshake": {"%d waiting for keys: QUIC's handshake not done.", "%d 个等待密钥：QUIC 握手尚未完成。"},
	"charts.none":     {"No congestion-control sample from the server in this run", "本次运行中服务器没有拥塞控制样本"},
	"charts.nosample": {"No congestion-control sample yet.", "尚无拥塞控制样本。"},
	"charts.nonesaid": {"No congestion-control sample from the server in this run.", "本次运行中服务器没有拥塞控制样本。"},
	"charts.state":    {"Congestion window %s, bytes in flight %s.", "拥塞窗口 %s，在途字节 %s。"},
	"charts.aria":     {"Congestion window, bytes in flight and round-trip time of %s's senders over time.", "%s 发送方的拥塞窗口、在途字节和往返时延随时间的变化。"},

	"legend.data":           {"data (colour = resource)", "数据（颜色 = 资源）"},
	"legend.ack":            {"ACK / control", "ACK / 控制"},
	"legend.detected":       {"a loss the server detected (a round trip or a timeout after the drop; a timeout marks its whole flight)", "服务器检测到的丢包（丢包后一个往返或一次超时时检出；超时会标记它所在的整轮在途数据）"},
	"legend.lost":           {"lost (× on its way, or by the sender when its queue was full)", "丢失（× 标在途中；队列满时标在发送方旁）"},
	"legend.held":           {"kept until the keys to read it came (QUIC)", "保留至可读取它的密钥到达（QUIC）"},
	"legend.rtx":            {"retransmission (thicker, from a dot; colour = resource)", "重传（较粗，起于圆点；颜色 = 资源）"},
	"ladder.ended":          {"This run ended at %s.", "此次运行在 %s 结束。"},
	"ladder.stopped":        {"This run stopped at %s, at %s.", "此次运行在 %s 停止，达到%s。"},
	"ladder.state":          {"%d packets sent, %d in flight, %d lost so far.", "已发送 %d 个数据包，%d 个在途，迄今丢失 %d 个。"},
	"legend.discarded":      {"arrived, discarded unread (□: no keys for it, or 0-RTT refused)", "已到达、未读即被丢弃（□：没有对应密钥，或 0-RTT 被拒绝）"},
	"legend.handshake":      {"handshake", "握手"},
	"legend.wait":           {"waiting for response", "等待响应"},
	"legend.transfer":       {"transfer", "传输"},
	"legend.hol.transport":  {"HoL: another stream's loss", "队头阻塞：其他流的丢包"},
	"legend.hol.loss":       {"own loss", "自身丢包"},
	"legend.hol.http":       {"HoL: HTTP/1.1 queue", "队头阻塞：HTTP/1.1 排队"},
	"legend.hol.qpack":      {"HoL: QPACK", "队头阻塞：QPACK"},
	"legend.hol.handshake":  {"HoL: waiting for keys (QUIC's handshake not done)", "队头阻塞：等待密钥（QUIC 握手尚未完成）"},
	"legend.done":           {"complete", "完成"},
	"legend.progress":       {"right: share delivered (solid) and arrived (hatched) at t", "右侧：t 时已交付（实心）与已到达（斜线）的比例"},
	"lanes.progress":        {"at t", "t 时"},
	"legend.hole":           {"hole (missing bytes)", "空洞（缺失的字节）"},
	"legend.delivered":      {"delivered to the application, in order", "已按序交付给应用"},
	"legend.frame.parsed":   {"parsed by the receiver, DATA and HTTP/1.x messages once whole (colour = resource)", "接收方已解析，DATA 与 HTTP/1.x 报文须完整收到（颜色 = 资源）"},
	"legend.frame.inflight": {"on its way at this moment", "此刻仍在途中"},
	"legend.stuck":          {"received, held back (colour = its resource; behind a hole, or until its TLS record is whole)", "已收到、被阻塞（颜色 = 其资源；排在空洞之后，或等待其 TLS 记录完整）"},
	"legend.tocome":         {"rest of a TLS record, still on its way", "TLS 记录的其余部分，仍在路上"},
	"legend.cwnd.sum":       {"congestion window (summed over the server's connections)", "拥塞窗口（服务器各连接之和）"},
	"legend.cwnd":           {"congestion window", "拥塞窗口"},
	"legend.ssthresh":       {"slow-start threshold (with one connection: several have one each)", "慢启动阈值（仅一条连接时绘出：多条连接各有各的）"},
	"legend.inflight":       {"bytes in flight", "在途字节"},
	"legend.cwnd.short":     {"cwnd", "拥塞窗口"},
	"legend.inflight.short": {"in flight", "在途"},
	"legend.srtt":           {"smoothed RTT", "平滑 RTT"},
	"legend.rttsample":      {"RTT sample", "RTT 样本"},

	"hol.transport": {"HoL", "队头阻塞"},
	"hol.loss":      {"own loss", "自身丢包"},
	"hol.http":      {"HTTP queue", "HTTP 排队"},
	"hol.qpack":     {"QPACK", "QPACK"},
	"hol.handshake": {"keys", "密钥"},

	"buf.conn":               {"connection %d", "连接 %d"},
	"stream.n":               {"stream %d", "流 %d"},
	"frames.labels":          {"Labels: ", "标签："},
	"frames.offbefore":       {"%s · %d earlier frames off the strip", "%s · 另有 %d 个更早的帧未显示"},
	"frames.offafter":        {"%s · %d later frames off the strip", "%s · 另有 %d 个更晚的帧未显示"},
	"frames.offboth":         {"%s · %d earlier and %d later frames off the strip", "%s · 另有 %d 个更早、%d 个更晚的帧未显示"},
	"frames.abbr.D":          {"DATA", "DATA"},
	"frames.abbr.H":          {"HEADERS", "HEADERS"},
	"frames.abbr.S":          {"SETTINGS", "SETTINGS"},
	"frames.abbr.W":          {"WINDOW_UPDATE", "WINDOW_UPDATE"},
	"frames.abbr.PU":         {"PRIORITY_UPDATE", "PRIORITY_UPDATE"},
	"frames.abbr.CP":         {"CANCEL_PUSH", "CANCEL_PUSH"},
	"frames.abbr.MP":         {"MAX_PUSH_ID", "MAX_PUSH_ID"},
	"frames.abbr.QE":         {"QPACK encoder instructions", "QPACK 编码器指令"},
	"frames.abbr.P":          {"PRIORITY", "PRIORITY"},
	"frames.abbr.C":          {"CONTINUATION (WebSocket: continuation frame)", "CONTINUATION（WebSocket：延续帧）"},
	"frames.abbr.PP":         {"PUSH_PROMISE", "PUSH_PROMISE"},
	"frames.abbr.R":          {"RST_STREAM", "RST_STREAM"},
	"frames.abbr.G":          {"GOAWAY", "GOAWAY"},
	"frames.abbr.Pi":         {"PING", "PING"},
	"frames.abbr.req":        {"request head (number: its place on its connection, from 0)", "请求报文首部（数字：它在所属连接上的序号，从 0 起）"},
	"frames.abbr.resp":       {"response head (number: as its request's)", "响应报文首部（数字：同其请求）"},
	"frames.abbr.up":         {"WebSocket opening handshake (Upgrade, 101)", "WebSocket 建立握手（Upgrade，101）"},
	"frames.abbr.T":          {"WebSocket text frame", "WebSocket 文本帧"},
	"frames.abbr.B":          {"WebSocket binary frame", "WebSocket 二进制帧"},
	"frames.abbr.Po":         {"WebSocket pong", "WebSocket pong"},
	"frames.abbr.Cl":         {"WebSocket close", "WebSocket 关闭帧"},
	"frames.abbr.WS":         {"other WebSocket frame", "其他 WebSocket 帧"},
	"frames.abbr.E":          {"the server has a new update (not on the wire)", "服务器产生新更新（不在线上）"},
	"frames.abbr.?":          {"unknown frame type", "未知帧类型"},
	"frames.onconn":          {"#%d on its connection", "该连接上的 #%d"},
	"frames.num":             {"#%d", "#%d"},
	"frames.updn":            {"update #%d", "更新 #%d"},
	"frames.name.request":    {"request", "请求"},
	"frames.name.response":   {"response", "响应"},
	"frames.name.ws_upgrade": {"opening handshake (Upgrade)", "建立握手（Upgrade）"},
	"frames.name.event":      {"new update", "新更新"},
	"frames.name.ws":         {"frame", "帧"},
	"buf.empty":              {"nothing waiting", "无等待数据"},
	"buf.waiting":            {"%s waiting behind a %s hole", "%s 被 %s 的空洞阻塞"},
	"buf.record":             {"%s waiting for the rest of their TLS record, %s still on its way", "%s 等待所属 TLS 记录的其余部分，还有 %s 在路上"},
	"buf.recordopen":         {"%s waiting for the rest of their TLS record", "%s 等待所属 TLS 记录的其余部分"},
	"buf.streams":            {" (%s)", "（%s）"},
	"buf.inorder":            {"%s delivered in order", "已按序交付 %s"},
	"buf.quic":               {"QUIC keeps one buffer per stream: a loss holds back only its own stream.", "QUIC 为每个流单独维护缓冲区：丢包只阻塞所在的流。"},
	"buf.quic.qpack":         {"QUIC keeps one buffer per stream: a loss holds back only its own stream, and, with a QPACK dynamic table, the requests whose header sections need entries still behind a hole in the encoder stream.", "QUIC 为每个流单独维护缓冲区：丢包只阻塞所在的流；启用 QPACK 动态表时，首部块所需条目仍卡在编码器流空洞之后的请求也要等待。"},
	"buf.qpackenc":           {"QPACK encoder", "QPACK 编码器"},
	"buf.more":               {"+%d more streams: %s waiting", "另有 %d 个流：%s 在等待"},
	"buf.more1":              {"+%d more stream: %s waiting", "另有 %d 个流：%s 在等待"},
	"buf.none":               {"No connection yet.", "尚无连接。"},

	"frames.none":     {"No frames yet.", "尚无帧。"},
	"frames.select":   {"Selected frame", "选中的帧"},
	"frames.nosel":    {"Select a frame in the strip (click it, or focus the strip and use ← →).", "在帧条中选择一帧（点击，或聚焦后用 ← →）。"},
	"frames.s2c":      {"server → client", "服务器 → 客户端"},
	"frames.c2s":      {"client → server", "客户端 → 服务器"},
	"frames.field":    {"Field", "字段"},
	"frames.value":    {"Value", "值"},
	"frames.created":  {"written at %s, parsed at %s", "写出于 %s，解析于 %s"},
	"frames.event":    {"The server has a new update of %d bytes to send: the moment it exists, not a frame on the wire.", "服务器有一条 %d 字节的新更新要发送：这是它产生的时刻，不是线上的帧。"},
	"frames.inflight": {"written at %s, not yet parsed at this moment", "写出于 %s，此刻尚未解析"},
	"frames.whole":    {"written at %s, received whole at %s", "写出于 %s，完整收到于 %s"},
	"frames.notwhole": {"written at %s, not yet received whole at this moment", "写出于 %s，此刻尚未完整收到"},
	"frames.notapp":   {"This scenario has no HTTP frames.", "该场景没有 HTTP 帧。"},
	"frames.head":     {"Message head as sent", "发送的报文首部"},
	"frames.payload":  {"Payload", "载荷"},
	"frames.notkept":  {"%d octets of body (not kept)", "%d 字节正文（未保存）"},

	"hpack.notapp":    {"Header compression applies to HTTP/2 (HPACK) and HTTP/3 (QPACK).", "首部压缩适用于 HTTP/2（HPACK）和 HTTP/3（QPACK）。"},
	"hpack.plain":     {"%s: header fields travel as plain text in every request and response, with no table to compress them.", "%s：首部字段以纯文本随每个请求和响应发送，没有压缩表。"},
	"hpack.dir":       {"Direction", "方向"},
	"hpack.resp":      {"responses (server → client)", "响应（服务器 → 客户端）"},
	"hpack.req":       {"requests (client → server)", "请求（客户端 → 服务器）"},
	"hpack.conn":      {"Connection %d, the latest of %d connections to receive a header block", "连接 %d：%d 个连接中最近收到首部块的一个"},
	"hpack.table":     {"Dynamic table at t: %d entries, %d of %d bytes", "t 时刻的动态表：%d 项，%d / %d 字节"},
	"hpack.conn.sel":  {"Connection %d, of %d connections with header blocks", "连接 %d（%d 个有首部块的连接之一）"},
	"hpack.table.sel": {"Dynamic table after the selected block: %d entries, %d of %d bytes", "所选首部块之后的动态表：%d 项，%d / %d 字节"},
	"hpack.block.sel": {"Header block of the selected frame (stream %d, %s): %d bytes for %d bytes of fields, %s saved", "所选帧的首部块（流 %d，%s）：%d 字节承载 %d 字节的字段，节省 %s"},
	"hpack.empty":     {"The dynamic table is empty.", "动态表为空。"},
	"hpack.index":     {"Index", "索引"},
	"hpack.name":      {"Name", "名称"},
	"hpack.value":     {"Value", "值"},
	"hpack.size":      {"Size", "大小"},
	"hpack.block":     {"Last header block (stream %d, %s): %d bytes for %d bytes of fields, %s saved", "最近的首部块（流 %d，%s）：%d 字节承载 %d 字节的字段，节省 %s"},
	"hpack.noblock":   {"No header block decoded yet.", "尚未解码任何首部块。"},
	"hpack.rep":       {"Representation", "表示方式"},
	"hpack.bytes":     {"Bytes", "字节"},
	"hpack.saved":     {"Saved vs text", "比文本节省"}, // negative for a short literal, as the CLI's "more than name and value as text"
	"hpack.error":     {"Decoding failed: %s", "解码失败：%s"},
	"hpack.qwaiting": {"Stream %d waits for the encoder stream: its field section needs %d insertions into the dynamic table, %d have arrived (RFC 9204 §2.2.1).",
		"流 %d 正在等待编码器流：其字段节需要动态表的 %d 次插入，目前已到达 %d 次（RFC 9204 §2.2.1）。"},
	"rep.indexed": {"indexed", "索引"},
	"rep.incr":    {"literal, indexed", "字面量（加入索引）"},
	"rep.noindex": {"literal, not indexed", "字面量（不索引）"},
	"rep.never":   {"literal, never indexed", "字面量（永不索引）"},
	"rep.nameidx": {" (name #%d)", "（名称 #%d）"},
	"rep.huffman": {", Huffman", "，哈夫曼编码"},
	// QPACK's field line representations, named as RFC 9204 §4.5 names them.
	"qrep.indexed":         {"indexed field line", "索引字段行"},
	"qrep.postbase":        {"indexed field line with post-base index", "基址后索引字段行"},
	"qrep.nameref":         {"literal field line with name reference", "带名称引用的字面字段行"},
	"qrep.postbasenameref": {"literal field line with post-base name reference", "带基址后名称引用的字面字段行"},
	"qrep.literal":         {"literal field line with literal name", "带字面名称的字面字段行"},
	"qrep.static":          {" (static #%d)", "（静态表 #%d）"},
	"qrep.dynamic":         {" (dynamic #%d)", "（动态表 #%d）"},
	"qrep.prefix":          {"section prefix: Required Insert Count %d, Base %d (RFC 9204 §4.5.1)", "首部块前缀：Required Insert Count %d，Base %d（RFC 9204 §4.5.1）"},
	"rep.sizeupdate":       {"dynamic table size update to %d (RFC 7541 §6.3)", "动态表大小更新为 %d（RFC 7541 §6.3）"},
	"qrep.never":           {", never indexed", "，永不索引"},
	// QPACK encoder instructions (RFC 9204 §4.3): the entry they name.
	"qe.namestatic": {"name: static #%d, value: %s", "名称：静态表 #%d，值：%s"},
	"qe.namedyn":    {"name: dynamic, relative #%d, value: %s", "名称：动态表相对 #%d，值：%s"},
	"qe.dup":        {"copy of dynamic entry relative #%d", "复制动态表相对 #%d"},
	// WebSocket opcodes (RFC 6455 §11.8) and Close status codes (§7.4.1).
	"ws.opcode":          {"0x%X %s", "0x%X %s"},
	"ws.op.continuation": {"continuation", "continuation（延续帧）"},
	"ws.op.text":         {"text", "text（文本帧）"},
	"ws.op.binary":       {"binary", "binary（二进制帧）"},
	"ws.op.close":        {"close (closing handshake)", "close（关闭帧，关闭握手）"},
	"ws.op.ping":         {"ping", "ping（Ping 帧）"},
	"ws.op.pong":         {"pong", "pong（Pong 帧）"},
	"ws.nostatus":        {"none (the application sees 1005, no status received)", "无（应用程序看到 1005：未收到状态码）"},
	"ws.close.1000":      {"normal closure", "正常关闭"},
	"ws.close.1001":      {"going away", "端点离开"},
	"ws.close.1002":      {"protocol error", "协议错误"},
	"ws.close.1003":      {"unsupported data", "不支持的数据"},
	"ws.close.1007":      {"invalid frame payload data", "无效的帧载荷数据"},
	"ws.close.1008":      {"policy violation", "违反策略"},
	"ws.close.1009":      {"message too big", "消息过大"},
	"ws.close.1010":      {"mandatory extension", "缺少必需的扩展"},
	"ws.close.1011":      {"internal error", "内部错误"},

	"sum.metric":       {"", ""},
	"sum.plt":          {"Page load time", "页面加载时间"},
	"sum.completion":   {"Completion", "完成时间"},
	"sum.goodput":      {"Goodput", "有效吞吐量"},
	"sum.hol":          {"Head-of-line blocking (total)", "队头阻塞（总计）"},
	"sum.hol.tcp":      {"of which: behind a lost TCP packet (another stream's, or TLS's)", "其中：排在丢失的 TCP 报文之后（其他流或 TLS 的）"},
	"sum.hol.http":     {"of which: behind an earlier response (HTTP/1.1)", "其中：排在先前的响应之后（HTTP/1.1）"},
	"sum.hol.qpack":    {"of which: waiting for QPACK's encoder stream", "其中：等待 QPACK 编码器流"},
	"sum.hol.keys":     {"of which: waiting for keys, the handshake not done (QUIC)", "其中：等待密钥，握手尚未完成（QUIC）"},
	"sum.lossdelay":    {"Waiting for own retransmissions", "等待自身重传"},
	"sum.packets":      {"Packets sent", "发送的数据包"},
	"sum.lost":         {"Packets lost", "丢失的数据包"},
	"sum.packets.quic": {"Packets sent (over QUIC: UDP datagrams)", "发送的数据包（QUIC 按 UDP 数据报计）"},
	"sum.lost.quic":    {"Packets lost (over QUIC: UDP datagrams)", "丢失的数据包（QUIC 按 UDP 数据报计）"},
	"sum.edgehits":     {"Edge cache hits (X-Cache: HIT)", "边缘缓存命中（X-Cache: HIT）"},
	"sum.edgemisses":   {"Edge cache misses (X-Cache: MISS)", "边缘缓存未命中（X-Cache: MISS）"},
	"sum.edgereval":    {"Edge cache revalidations (X-Cache: REVALIDATED)", "边缘缓存重新验证（X-Cache: REVALIDATED）"},
	"sum.queuelost":    {"of which dropped by a full queue", "其中被满队列丢弃"},
	"sum.rtx":          {"Retransmissions", "重传次数"},
	"sum.wire.edge":    {"Bytes on the wire (a run through an edge counts both hops, browser–edge and edge–origin)", "线上字节数（经过边缘节点的运行计两段：浏览器–边缘与边缘–源站）"},
	"sum.headers.edge": {"HTTP header bytes (a run through an edge counts both hops)", "HTTP 首部字节（经过边缘节点的运行计两段）"},
	"sum.wire":         {"Bytes on the wire", "线上字节数"},
	"sum.overhead":     {"of which all but bodies (TCP/IP, TLS, HTTP headers and framing, retransmissions)", "其中正文以外的字节（TCP/IP、TLS、HTTP 首部与分帧、重传）"},
	"sum.headers":      {"HTTP header bytes", "HTTP 首部字节"},
	"sum.conns":        {"Connections", "连接数"},
	"sum.lat.mean":     {"Update latency (mean)", "更新延迟（平均）"},
	"sum.lat.median":   {"Update latency (median)", "更新延迟（中位数）"},
	"sum.lat.p95":      {"Update latency (95th percentile)", "更新延迟（第 95 百分位）"},
	"sum.lat.max":      {"Update latency (worst)", "更新延迟（最差）"},
	"sum.delivered":    {"Updates delivered", "已送达的更新"},
	"sum.requests":     {"HTTP requests", "HTTP 请求数"},
	"sum.empty":        {"Answers with no update (204)", "无更新的应答（204）"},
	"sum.holevents":    {"Updates held back by a lost segment", "被丢失报文段阻塞的更新"},
	"sum.hash":         {"Trace hash", "轨迹哈希"},
	"notices.label":    {"Notices", "提示"},
	"sum.table":        {"Summary table, one column per run", "摘要表，每次运行一列"},
	"sum.notloaded":    {"not loaded", "未加载完成"},
	"sum.best":         {"best", "最佳"},
	"sum.retried":      {"sent again after its connection failed (first byte: the first any attempt received)", "连接失败后重新发送（首字节为各次尝试中最先收到的）"},
	"sum.resources":    {"Each resource: first byte → done, and its status unless 200", "各资源：首字节 → 完成，以及非 200 的状态码"},
	"sum.resource":     {"Resource", "资源"},
	"sum.cached":       {"cache", "缓存"},
	"sum.failed":       {"failed", "失败"},
	"sum.failed.n":     {"Failed fetches", "失败的请求"},
	"sum.unexpected.n": {"Statuses the page does not declare", "页面未声明的状态码"},
	"sum.stopped":      {"%s stopped at %s before it finished: its figures count only what happened until then.", "%s 在%s处停止，未能完成：其数据只统计到停止之时。"},
	"sum.limit.time":   {"the scenario's limit of simulated time", "场景的模拟时间上限"},
	"sum.limit.events": {"the scenario's limit of events", "场景的事件数上限"},
	"sum.waiting":      {"Waiting for the first run…", "等待首次运行…"},
	"sum.running":      {"Simulating…", "模拟中…"},
	"sum.diff":         {"Differences from the first column are marked; ▲ is worse, ▼ better.", "与第一列的差异已标出；▲ 表示更差，▼ 表示更好。"},
	"sum.diff.variant": {"Each column is compared with the first column of its setting, and that one with the first column of all; ▲ is worse, ▼ better.", "每列与同一设置下的第一列比较，该列再与最左一列比较；▲ 表示更差，▼ 表示更好。"},

	"notice.bad":                 {"Ignored %s=%s: use one of %s.", "已忽略 %s=%s：可用值为 %s。"},
	"notice.query.many":          {"Read the link's first %s settings and ignored the other %s.", "只读取了链接的前 %s 项设置，其余 %s 项已忽略。"},
	"notice.lang.simplified":     {"%s=%s: the page is in Simplified Chinese only.", "%s=%s：本页面只有简体中文。"},
	"notice.slip":                {"Ignored %s: not a setting; did you mean %s?", "已忽略 %s：没有这项设置；是否想写 %s？"},
	"notice.twice":               {"%s is given %s times with different values; only the last, %s, is read.", "%s 出现了 %s 次且取值不同；只读取最后一个值 %s。"},
	"notice.nan":                 {"Ignored %s=%s: want a number, %s.", "已忽略 %s=%s：应为数字，%s。"},
	"notice.nan.whole":           {"Ignored %s=%s: want a whole number, %s.", "已忽略 %s=%s：应为整数，%s。"},
	"notice.rounded":             {"%s=%s has too many decimals; using %s.", "%s=%s 小数位过多；改用 %s。"},
	"notice.clamped":             {"%s=%s is out of range (%s to %s); using %s.", "%s=%s 超出范围（%s 至 %s）；改用 %s。"},
	"notice.proto.unavailable":   {"The simulator does not run %s yet; it was left out.", "模拟器暂不支持 %s，已略去。"},
	"notice.proto.none":          {"No protocol left to run; using %s.", "没有可运行的协议；改用 %s。"},
	"notice.0rtt":                {"0-RTT needs TLS 1.3; it was turned off.", "0-RTT 需要 TLS 1.3，已关闭。"},
	"notice.http10":              {"HTTP/1.0 has no persistent connections to pipeline on; pipelining was turned off.", "HTTP/1.0 没有可供管线化的持久连接；已关闭管线化。"},
	"notice.import.unknown":      {"Ignored settings this page does not know: %s.", "已忽略本页面不认识的设置：%s。"},
	"notice.import.unknown.more": {"Ignored settings this page does not know: %s … and %s more.", "已忽略本页面不认识的设置：%s……及另外 %s 个。"},
	"notice.import.name":         {"The file's name has more than %s characters: it is cut to “%s”.", "文件中的名称超过 %s 个字符，已截为“%s”。"},
	"notice.import.base":         {"“%s” is not a built-in scenario: the page runs the built-in “%s” with the file's values for its controls.", "“%s”不是内置场景：页面以文件中控件所对应的值运行内置场景“%s”。"},
	"notice.unexposed":           {"Ignored %s=%s: “%s” has no such setting.", "已忽略 %s=%s：“%s”没有这项设置。"},
	"notice.import.inexact":      {"The page's controls cannot take this file's %s exactly; the nearest values they allow are used.", "页面控件无法精确取用此文件的 %s；已改用控件允许的最接近的值。"},
	"notice.import.rest":         {"This file sets more than the page's controls cover (its own page, loss on the way up or limits, for example): the page runs the built-in scenario with the file's values for its controls only. httpsim run --scenario FILE runs the file as written.", "此文件设置的内容超出了页面控件的范围（例如自己的页面、上行丢包或运行上限）：页面只用文件中控件所对应的值运行内置场景。httpsim run --scenario FILE 可按原样运行该文件。"},
	"notice.panel":               {"Ignored unknown panel %s: use %s.", "已忽略未知面板 %s：可用面板为 %s。"},
	"notice.panels.unknown":      {"Ignored unknown panels %s: use %s.", "已忽略未知面板 %s：可用面板为 %s。"},
	"notice.panels.unknown.more": {"Ignored unknown panels %s … and %s more: use %s.", "已忽略未知面板 %s……及另外 %s 个：可用面板为 %s。"},
	"notice.bad.more":            {"Ignored %s=%s … and %s more: use one of %s.", "已忽略 %s=%s……及另外 %s 个：可用值为 %s。"},
	"notice.more":                {"Notices not shown: %s more.", "另有 %s 条提示未显示。"},
	"notice.panels.none":         {"No panel named in panels=%s; showing the default panels.", "panels=%s 未指定任何面板；显示默认面板。"},
	"notice.import.qpackblocked": {"The file allows %s QPACK blocked streams; the page allows %s with a dynamic table.",
		"文件允许 %s 个 QPACK 阻塞流；页面在使用动态表时允许 %s 个。"},
	"notice.time":    {"t = %s is past the end of the run at %s; showing the end.", "t = %s 超出运行的结束时间（%s）；显示结束时刻。"},
	"notice.dismiss": {"Dismiss", "关闭"},
	"na":             {"not applicable", "不适用"},
}
