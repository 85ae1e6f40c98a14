package qpack

// The encoder's side of the decoder stream: which sections are still
// unacknowledged, which entries they pin, which streams may be blocked,
// and the Known Received Count (RFC 9204 §2.1.1, §2.1.2, §2.1.4, §4.4).

// track records the section just encoded on stream id, with Required
// Insert Count ric and the references in e.refs, as unacknowledged.
func (e *Encoder) track(id, ric uint64) {
	refs := append([]uint64(nil), e.refs...)
	e.sections[id] = append(e.sections[id], outstanding{ric: ric, refs: refs})
	if ric <= e.knownReceived {
		return
	}
	for i := range e.blocking {
		if e.blocking[i].id == id {
			e.blocking[i].maxRIC = max(e.blocking[i].maxRIC, ric)
			return
		}
	}
	e.blocking = append(e.blocking, blockingStream{id: id, maxRIC: ric})
}

// isBlocking reports whether stream id may already be blocked.
func (e *Encoder) isBlocking(id uint64) bool {
	for _, b := range e.blocking {
		if b.id == id {
			return true
		}
	}
	return false
}

// release drops a section's references to its entries.
func (e *Encoder) release(s outstanding) {
	for _, abs := range s.refs {
		// A referenced entry is never evicted, so it is still there.
		e.table.at(abs).refs--
	}
}

// updateBlocking recomputes which streams may still be blocked after the
// Known Received Count rose or a stream's sections changed.
func (e *Encoder) updateBlocking() {
	kept := e.blocking[:0]
	for _, b := range e.blocking {
		b.maxRIC = 0
		for _, s := range e.sections[b.id] {
			b.maxRIC = max(b.maxRIC, s.ric)
		}
		if b.maxRIC > e.knownReceived {
			kept = append(kept, b)
		}
	}
	e.blocking = kept
}

// OnDecoderInstruction applies one instruction from the decoder stream
// (RFC 9204 §4.4). A Section Acknowledgment for a stream with no
// unacknowledged section, an Insert Count Increment of 0, or one beyond the
// insertions sent is an *Error with code ErrDecoderStreamError.
func (e *Encoder) OnDecoderInstruction(in DecoderInstruction) error {
	if err := e.onDecoderInstruction(in); err != nil {
		return err
	}
	return nil
}

func (e *Encoder) onDecoderInstruction(in DecoderInstruction) *Error {
	switch in.Type {
	case SectionAcknowledgment:
		// §4.4.1: it acknowledges the earliest unacknowledged section with
		// dynamic table references on the stream (§2.2.2.1).
		secs := e.sections[in.StreamID]
		if len(secs) == 0 {
			return &Error{Code: ErrDecoderStreamError, Reason: ReasonUnexpectedSectionAck, Value: in.StreamID}
		}
		s := secs[0]
		e.release(s)
		if len(secs) == 1 {
			delete(e.sections, in.StreamID)
		} else {
			secs[0] = outstanding{}
			e.sections[in.StreamID] = secs[1:]
		}
		// §2.1.4: the decoder has received every insertion the section
		// needed.
		e.knownReceived = max(e.knownReceived, s.ric)
	case StreamCancellation:
		// §4.4.2: no reference on the stream is outstanding any more. A
		// stream the encoder knows nothing of is no error: the decoder may
		// cancel any stream it abandons.
		for _, s := range e.sections[in.StreamID] {
			e.release(s)
		}
		delete(e.sections, in.StreamID)
	case InsertCountIncrement:
		// §4.4.3.
		if in.Increment == 0 {
			return &Error{Code: ErrDecoderStreamError, Reason: ReasonIncrementZero}
		}
		if in.Increment > e.table.inserts-e.knownReceived {
			return &Error{Code: ErrDecoderStreamError, Reason: ReasonIncrementTooLarge, Value: in.Increment, Limit: e.table.inserts}
		}
		e.knownReceived += in.Increment
	default:
		panic("qpack: unknown decoder instruction")
	}
	e.updateBlocking()
	return nil
}

// FeedDecoderStream takes the next octets of the decoder stream, in pieces
// of any size, and applies every whole instruction they complete. If rec is
// not nil it is reset and filled with the instructions applied. Errors are
// *Error with code ErrDecoderStreamError, their Offset counted from the
// start of the decoder stream; after one the encoder's state is undefined
// (RFC 9204 §6: the connection is closed).
func (e *Encoder) FeedDecoderStream(p []byte, rec *DecoderStreamRecord) error {
	if rec != nil {
		rec.Reset()
	}
	e.parser.Write(p)
	for {
		in, off, n, ok, err := e.parser.Next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := e.onDecoderInstruction(in); err != nil {
			err.Offset = off
			return err
		}
		if rec != nil {
			rec.Instructions = append(rec.Instructions, DecoderInstructionRecord{Instruction: in, Offset: off, WireLen: n})
			rec.WireLen += n
		}
	}
	if rec != nil {
		rec.KnownReceivedCount = e.knownReceived
	}
	return nil
}
