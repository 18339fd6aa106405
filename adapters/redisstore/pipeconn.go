package redisstore

import (
	"net"
	"sync"
)

// queuedConn is a client's end of an in-memory pipe to the embedded Redis
// whose writes return at once and reach the pipe from a goroutine, in
// order. net.Pipe is unbuffered and miniredis writes each reply before it
// reads the next command, so without the queue a pipeline longer than a
// few replies would leave both ends blocked in Write.
type queuedConn struct {
	net.Conn
	mu     sync.Mutex
	wake   *sync.Cond
	queue  []byte
	err    error // the first write error, or net.ErrClosed after Close
	closed bool
}

// newQueuedConn wraps c and starts the goroutine that writes to it.
func newQueuedConn(c net.Conn) *queuedConn {
	q := &queuedConn{Conn: c}
	q.wake = sync.NewCond(&q.mu)
	go q.drain()
	return q
}

// Write queues p for the pipe.
func (q *queuedConn) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return 0, q.err
	}
	q.queue = append(q.queue, p...)
	q.wake.Signal()
	return len(p), nil
}

// Close stops the writer and closes the pipe; queued bytes are dropped.
func (q *queuedConn) Close() error {
	q.mu.Lock()
	q.closed = true
	if q.err == nil {
		q.err = net.ErrClosed
	}
	q.wake.Signal()
	q.mu.Unlock()
	return q.Conn.Close()
}

func (q *queuedConn) drain() {
	for {
		q.mu.Lock()
		for len(q.queue) == 0 && !q.closed {
			q.wake.Wait()
		}
		if q.closed {
			q.mu.Unlock()
			return
		}
		chunk := q.queue
		q.queue = nil
		q.mu.Unlock()
		if _, err := q.Conn.Write(chunk); err != nil {
			q.mu.Lock()
			if q.err == nil {
				q.err = err
			}
			q.closed = true
			q.mu.Unlock()
			return
		}
	}
}
