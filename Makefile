# httpsim: build, serve and test. `make run` and `make test` are the two
# commands a newcomer needs; see README.md.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
DIST      ?= $(CURDIR)/dist
ARTIFACTS ?= $(CURDIR)/artifacts
ADDR      ?= 127.0.0.1:8080
BASE      ?= /
FUZZTIME  ?= 1m
BENCHTIME ?= 1s

BIN         := $(CURDIR)/bin/httpsim
GOROOT      := $(shell $(GO) env GOROOT)
WASM_RUNNER := $(GOROOT)/lib/wasm/go_js_wasm_exec
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
APT         := DEBIAN_FRONTEND=noninteractive apt-get install -y

.PHONY: help run site wasm wasm-mod bin test lint unit test-wasm e2e bench fuzz clean chromium node zopfli brotli tshark

help:
	@echo "make run        build the wasm and the site into $(DIST), serve it on http://$(ADDR)$(BASE)"
	@echo "make test       lint, unit tests, wasm tests under Node, browser tests in headless Chromium"
	@echo "make site       build the static site into DIST (BASE=/path/ for a sub-path)"
	@echo "make lint       gofmt, go vet (native and js/wasm), staticcheck, and no net/http in app.wasm"
	@echo "make bench      Go benchmarks (BENCHTIME=$(BENCHTIME))"
	@echo "make fuzz       every fuzz target, FUZZTIME=$(FUZZTIME) each"
	@echo "make clean      remove $(DIST), $(ARTIFACTS), bin/ and .build/"

## Build and serve.

bin:
	$(GO) build -o $(BIN) ./cmd/httpsim

# The browser's program. -s -w drop the symbol table and DWARF, which the
# page never reads. Inlining is off in go-app: its code is long chains of
# element-builder calls, where inlining grows the binary without making
# anything measurably faster. It is off in sim/web too: the browser and
# origin models and the page validation run per resource, not per packet
# (7 kB less gzipped; BenchmarkSimulate under Node within its noise,
# 16.0-16.8 ms against 16.5-17.2 ms). So it is in sim/scenario, which
# decodes, validates and wires a run together once per run, and in
# encoding/json, which reads scenario documents (26 kB less with gzip -9;
# BenchmarkSimulate 17.5-19.2 ms against 17.9-19.3 ms, alternated), and in
# fmt, which formats error messages, labels and names a few times a run,
# never per packet (27 kB less with gzip -9), and in reflect, which go-app
# and encoding/json use to diff components and read documents, not the
# simulator (26 kB less with zopfli). Nor in hackpadfs and its IndexedDB
# bindings (go-indexeddb, safejs), which read and write saved scenarios,
# where every call waits on the browser anyway (8 kB less with gzip -9), and in sim/updates, the polling
# and WebSocket lessons' model, whose runs are a few hundred packets (2 kB
# less), and in sim/qpack, whose encoder and decoder run once per HTTP/3
# header block (7 kB less with gzip -9; BenchmarkSimulate under Node
# 16.7-17.1 ms against 17.1 ms, alternated). The rest of the simulator and
# the page keep it (the page indexes a run 20 % faster with it, for 47 kB
# more gzipped).
WASM_GCFLAGS := -gcflags=github.com/maxence-charriere/go-app/v9/...=-l -gcflags=httpsim/sim/web=-l \
	-gcflags=httpsim/sim/scenario=-l -gcflags=encoding/json=-l -gcflags=fmt=-l -gcflags=reflect=-l \
	-gcflags=github.com/hack-pad/...=-l -gcflags=httpsim/sim/updates=-l -gcflags=httpsim/sim/qpack=-l

# go-app's package app keeps its server (Handler, in http.go, and the
# resource providers, in resource.go) beside its browser code with no build
# tag, so every WebAssembly build of it imports net/http, and the package
# initialisers of what net/http imports (crypto/tls, x509, ECDSA, ECDH, HPKE,
# math/big, mime/multipart, text/template) keep their code in app.wasm though
# the page never serves or dials anything: 1.8 MB of app.wasm, 0.45 MB
# gzipped. The wasm is therefore built against a copy of go-app v9.8.0 (the
# version go.sum pins) in which those two files are left out of js/wasm
# builds; its browser code uses two small path helpers from http.go, which
# are copied to a file of their own, and the wasm build's
# GenerateStaticWebsite stub, which only panics there, is dropped. Nothing
# else changes: the native build (the server, `httpsim site`, the tests)
# uses go-app as published. WASM_MODFILE is go.mod with that replacement.
# Both are made afresh on every use (under a second; the Go build cache
# goes by content, so nothing recompiles), so that neither a go.mod change
# nor a removed or edited file in .build can leave a stale copy behind.
GOAPP_WASM   := $(CURDIR)/.build/go-app
WASM_MODFILE := $(CURDIR)/.build/wasm.mod

wasm-mod:
	rm -rf $(GOAPP_WASM) && mkdir -p $(GOAPP_WASM)
	$(GO) mod download github.com/maxence-charriere/go-app/v9
	src="$$($(GO) list -m -f '{{.Dir}}' github.com/maxence-charriere/go-app/v9)"; \
	test -d "$$src/pkg/app" || { echo "go-app's module not found (go mod download)"; exit 1; }; \
	cp -r "$$src/go.mod" "$$src/LICENSE" "$$src/pkg" $(GOAPP_WASM)/
	chmod -R u+w $(GOAPP_WASM)
	cd $(GOAPP_WASM)/pkg/app && \
	{ printf '//go:build wasm\n\npackage app\n\nimport "strings"\n\n'; \
	  sed -n '/^func isRemoteLocation(/,/^}/p' http.go; echo; \
	  sed -n '/^func isStaticResourcePath(/,/^}/p' http.go; } > paths_wasm.go && \
	grep -q '^func isStaticResourcePath' paths_wasm.go && \
	for f in http.go resource.go; do { printf '//go:build !wasm\n\n'; cat $$f; } > $$f.new && mv $$f.new $$f; done && \
	sed -i '/^func GenerateStaticWebsite(/,/^}/d' wasm.go
	{ cat go.mod; echo; echo 'replace github.com/maxence-charriere/go-app/v9 => ./.build/go-app'; } > $(WASM_MODFILE)
	cp go.sum $(basename $(WASM_MODFILE)).sum

# app.wasm is replaced only when its bytes change (the build is
# reproducible), so that its compression below runs only then.
wasm: zopfli brotli wasm-mod
	mkdir -p $(DIST)/web
	GOOS=js GOARCH=wasm $(GO) build -modfile=$(WASM_MODFILE) -trimpath -ldflags="-s -w" $(WASM_GCFLAGS) -o $(DIST)/web/app.wasm.new ./wasm
	if cmp -s $(DIST)/web/app.wasm.new $(DIST)/web/app.wasm; then rm $(DIST)/web/app.wasm.new; \
	else mv $(DIST)/web/app.wasm.new $(DIST)/web/app.wasm; fi
	$(MAKE) --no-print-directory -j2 $(DIST)/web/app.wasm.gz $(DIST)/web/app.wasm.br

# zopfli writes gzip about 5 % smaller than compress/gzip's best (2.99 MB
# against 3.13 MB for app.wasm), in about 35 s; the server sends the file as
# it is once it has checked that it decodes to app.wasm. Without zopfli the
# server compresses app.wasm itself. Ten iterations: 10 kB smaller than one
# for 8 s more (2,990,486 against 3,000,586 bytes; five gave 2,991,426).
$(DIST)/web/app.wasm.gz: $(DIST)/web/app.wasm
	if command -v zopfli >/dev/null; then zopfli --i10 -c $< > $@.tmp && mv $@.tmp $@; \
	else rm -f $@; echo "zopfli is missing: the server will compress app.wasm itself"; fi

# Brotli at its best quality and a 16 MB window writes app.wasm in about
# 2.28 MB, against 2.99 MB with zopfli, in about 26 s (beside zopfli: the
# two run at once); the server sends it to browsers that accept br, as
# Chromium does on localhost, having checked it decodes to app.wasm. The
# server's own Brotli of a file this large is quality 6 (2.66 MB in 1.7 s).
$(DIST)/web/app.wasm.br: $(DIST)/web/app.wasm
	if command -v brotli >/dev/null; then brotli -q 11 --lgwin=24 -c $< > $@.tmp && mv $@.tmp $@; \
	else rm -f $@; echo "brotli is missing: the server will compress app.wasm itself"; fi

site: wasm bin
	$(BIN) site --out $(DIST) --base $(BASE)

run: site
	$(BIN) serve --dir $(DIST) --addr $(ADDR) --base $(BASE)

## Tests.

test: lint unit test-wasm e2e

# The last check keeps server-only code out of the page: net/http in
# app.wasm's imports would bring back what WASM_MODFILE leaves out.
lint: wasm-mod
	@unformatted="$$(gofmt -l $$(find . -name '*.go' -not -path './dist/*' -not -path './artifacts/*' -not -path './.build/*'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm ./app
	$(STATICCHECK) ./...
	@deps="$$(GOOS=js GOARCH=wasm $(GO) list -modfile=$(WASM_MODFILE) -deps ./wasm)"; \
	if grep -qx 'net/http' <<< "$$deps"; then \
	  echo "app.wasm imports net/http: server-only code in the page (see WASM_MODFILE in the Makefile)"; exit 1; fi

# Plain `go test` also runs every fuzz target on its seed corpus. The browser
# tests skip here (HTTPSIM_E2E unset); the e2e target runs them. The pcap
# export's Wireshark test must run here: HTTPSIM_TSHARK=1 makes it fail,
# not skip, without tshark.
unit: tshark
	HTTPSIM_TSHARK=1 $(GO) test -count=1 ./...

# The simulator under WebAssembly in Node: the determinism test compares trace
# hashes with the same golden file as the native run.
test-wasm: node
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_RUNNER)" ./sim/...

e2e: chromium site
	mkdir -p $(ARTIFACTS)
	HTTPSIM_E2E=1 HTTPSIM_SITE=$(DIST) HTTPSIM_ARTIFACTS=$(ARTIFACTS) $(GO) test -count=1 -v ./e2e

# Debian's chromium and nodejs, installed when missing (as root, as CI runs).
# The Chinese page needs a font with Simplified Chinese glyphs, or its
# screenshots show empty boxes: WenQuanYi Micro Hei (1.6 MB) when the system
# has none.
chromium:
	@command -v chromium >/dev/null || $(APT) chromium || { apt-get update && $(APT) chromium; }
	@fc-list :lang=zh-cn 2>/dev/null | grep -q . || $(APT) fonts-wqy-microhei || { apt-get update && $(APT) fonts-wqy-microhei; } || echo "could not install a Chinese font: the zh screenshots will show empty boxes"

zopfli:
	@command -v zopfli >/dev/null || $(APT) zopfli || { apt-get update && $(APT) zopfli; } || echo "could not install zopfli"

brotli:
	@command -v brotli >/dev/null || $(APT) brotli || { apt-get update && $(APT) brotli; } || echo "could not install brotli"

# Debian's tshark (Wireshark's command line), which reads the pcap exports
# in the unit tests. Its debconf question (may non-root users capture?)
# is answered by the non-interactive front end's default, no.
tshark:
	@command -v tshark >/dev/null || $(APT) tshark || { apt-get update && $(APT) tshark; }

node:
	@command -v node >/dev/null || $(APT) nodejs || { apt-get update && $(APT) nodejs; }

# Every Go benchmark natively, then the page-load comparison (H1, H2, H3 at
# 2% loss) and the engine's as WebAssembly under Node, and the page's re-run
# and indexing with the browser's GOGC, 200 times each so that V8 has
# optimised the code, as in a page in use: the browser runs that.
bench: node
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...
	GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench 'Page|Flow60s' -benchtime $(BENCHTIME) -exec="$(WASM_RUNNER)" ./sim/scenario
	GOGC=300 GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench 'Simulate|BuildViews' -benchtime 200x -exec="$(WASM_RUNNER)" ./app

# Runs every Fuzz target of every package for FUZZTIME (go test -fuzz takes
# one target at a time).
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

clean:
	rm -rf $(DIST) $(ARTIFACTS) $(CURDIR)/bin $(CURDIR)/.build
