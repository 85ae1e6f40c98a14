package sim

// Queue is a FIFO ring buffer. Links use it for packets waiting to be
// serialised and packets in flight: both leave in the order they entered, so a
// link needs one timer for the head of each queue, not one per packet.
type Queue[T any] struct {
	buf  []T
	head int
	n    int
}

// Len is the number of items in the queue.
func (q *Queue[T]) Len() int { return q.n }

// Push appends v at the tail.
func (q *Queue[T]) Push(v T) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)%len(q.buf)] = v
	q.n++
}

// Peek returns the head without removing it. The queue must not be empty.
func (q *Queue[T]) Peek() T { return q.buf[q.head] }

// At returns the i-th item from the head (0 is the head).
func (q *Queue[T]) At(i int) T { return q.buf[(q.head+i)%len(q.buf)] }

// Pop removes and returns the head. The queue must not be empty.
func (q *Queue[T]) Pop() T {
	var zero T
	v := q.buf[q.head]
	q.buf[q.head] = zero
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	return v
}

func (q *Queue[T]) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 16
	}
	buf := make([]T, size)
	for i := 0; i < q.n; i++ {
		buf[i] = q.buf[(q.head+i)%len(q.buf)]
	}
	q.buf = buf
	q.head = 0
}
