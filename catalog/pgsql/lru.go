package pgsql

import (
	"container/list"
	"sync"
)

// lru is a bounded, mutex-protected least-recently-used map from statement
// text to its translation. It holds at most max entries and about
// maxBytes bytes of text.
type lru struct {
	mu       sync.Mutex
	max      int
	maxBytes int
	bytes    int
	order    *list.List // front: most recently used; values are *lruEntry
	items    map[string]*list.Element
}

type lruEntry struct {
	key, val string
	same     bool // val == key: not stored twice
}

func newLRU(max, maxBytes int) *lru {
	return &lru{max: max, maxBytes: maxBytes, order: list.New(), items: make(map[string]*list.Element)}
}

func (e *lruEntry) size() int { return len(e.key) + len(e.val) }

func (c *lru) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(el)
	e := el.Value.(*lruEntry)
	if e.same {
		return e.key, true
	}
	return e.val, true
}

func (c *lru) put(key, val string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	e := &lruEntry{key: key}
	if val == key {
		e.same = true
	} else {
		e.val = val
	}
	c.items[key] = c.order.PushFront(e)
	c.bytes += e.size()
	for c.order.Len() > c.max || c.bytes > c.maxBytes && c.order.Len() > 1 {
		old := c.order.Remove(c.order.Back()).(*lruEntry)
		delete(c.items, old.key)
		c.bytes -= old.size()
	}
}

func (c *lru) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
