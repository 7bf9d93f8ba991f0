package sqlclass

import (
	"container/list"
	"sync"
)

// maxCachedText is the longest query string a Cache keeps.
const maxCachedText = 16 << 10

// maxCachedBytes bounds the text a Cache holds, whatever its entry count.
const maxCachedBytes = 8 << 20

// Cache classifies query strings and remembers the latest results, at most
// max of them: clients send the same statements again and again. Results
// are shared: callers must not modify them. It is safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	max   int
	bytes int        // text held
	order *list.List // front: most recently used; values are *cacheEntry
	items map[string]*list.Element
}

type cacheEntry struct {
	text  string
	stmts []Statement
}

// NewCache returns a Cache holding at most max query strings.
func NewCache(max int) *Cache {
	return &Cache{max: max, order: list.New(), items: make(map[string]*list.Element)}
}

// Classify returns Classify(q), from the cache when q was seen recently. A
// nil Cache classifies every time.
func (c *Cache) Classify(q string) []Statement {
	if c == nil || len(q) > maxCachedText {
		return Classify(q)
	}
	c.mu.Lock()
	if el, ok := c.items[q]; ok {
		c.order.MoveToFront(el)
		c.mu.Unlock()
		return el.Value.(*cacheEntry).stmts
	}
	c.mu.Unlock()
	stmts := Classify(q)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[q]; !ok {
		c.items[q] = c.order.PushFront(&cacheEntry{text: q, stmts: stmts})
		c.bytes += len(q)
		for c.order.Len() > c.max || c.bytes > maxCachedBytes {
			old := c.order.Remove(c.order.Back()).(*cacheEntry)
			delete(c.items, old.text)
			c.bytes -= len(old.text)
		}
	}
	return stmts
}
