package rpc

import (
	"net/http"
	"sync"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are godoo's Prometheus metrics: what the front counts as it
// serves (requests, latencies, authentications, refusals), and what the
// services hold (pools, gates, caches, feeds), read when scraped. A
// request costs a few atomic additions: the counters of each combination
// of labels are looked up once and kept (see observe).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	authn    *prometheus.CounterVec
	refusals *prometheus.CounterVec

	mu      sync.RWMutex
	handles map[requestLabels]requestHandles
	authns  map[[2]string]prometheus.Counter
	reasons map[models.Reason]prometheus.Counter
}

// requestLabels are the labels of one request; every value is bounded
// (labels.go).
type requestLabels struct {
	protocol, service, model, method, outcome string
}

type requestHandles struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// NewMetrics makes the metrics of the front and of set, with Go's runtime
// and the process's figures.
func NewMetrics(set *services.Set) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "godoo_requests_total",
			Help: "Requests answered, by protocol, service, model, method and outcome (ok, refused, rejected, abandoned, or the kind of error)."},
			[]string{"protocol", "service", "model", "method", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "godoo_request_duration_seconds",
			Help:    "Time from a request's arrival to its answer, by protocol and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}},
			[]string{"protocol", "method"}),
		authn: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "godoo_authentications_total",
			Help: "Credentials checked, by kind (password, native_key, header_key, bearer, basic, session) and outcome (ok, refused)."},
			[]string{"credential", "outcome"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "godoo_refusals_total",
			Help: "Requests refused for their credentials or database, by reason."},
			[]string{"reason"}),
		handles: map[requestLabels]requestHandles{},
		authns:  map[[2]string]prometheus.Counter{},
		reasons: map[models.Reason]prometheus.Counter{},
	}
	m.reg.MustRegister(m.requests, m.latency, m.authn, m.refusals,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&servicesCollector{set: set})
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is where the metrics are registered, for programs that embed
// godoo and add their own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// observe counts a finished request.
func (m *Metrics) observe(x *exchange, d time.Duration) {
	if m == nil {
		return
	}
	l := requestLabels{protocol: x.protocol, service: x.service, model: x.model, method: x.method, outcome: x.outcome()}
	h := cached(&m.mu, m.handles, l, func() requestHandles {
		return requestHandles{count: m.requests.WithLabelValues(l.protocol, l.service, l.model, l.method, l.outcome),
			latency: m.latency.WithLabelValues(l.protocol, l.method)}
	})
	h.count.Inc()
	h.latency.Observe(d.Seconds())
	if e := models.AsError(x.err); e != nil && (e.Kind == models.KindAccessDenied || e.Kind == models.KindNotFound && e.Reason != models.ReasonNone) {
		m.refused(e.Reason)
	}
}

// authenticated counts one check of credentials of kind.
func (m *Metrics) authenticated(kind string, ok bool) {
	if m == nil || kind == "" {
		return
	}
	k := [2]string{kind, "ok"}
	if !ok {
		k[1] = "refused"
	}
	cached(&m.mu, m.authns, k, func() prometheus.Counter { return m.authn.WithLabelValues(k[0], k[1]) }).Inc()
}

// refused counts one refusal of reason.
func (m *Metrics) refused(r models.Reason) {
	name, ok := reasonLabels[r]
	if !ok {
		name = otherLabel
	}
	cached(&m.mu, m.reasons, r, func() prometheus.Counter { return m.refusals.WithLabelValues(name) }).Inc()
}

// cached returns the handle of k in handles, made by mk under the write
// lock the first time: a handle is looked up once per combination of
// labels, not on every request.
func cached[K comparable, V any](mu *sync.RWMutex, handles map[K]V, k K, mk func() V) V {
	mu.RLock()
	v, ok := handles[k]
	mu.RUnlock()
	if ok {
		return v
	}
	mu.Lock()
	defer mu.Unlock()
	if v, ok = handles[k]; !ok {
		v = mk()
		handles[k] = v
	}
	return v
}

// servicesCollector reads the services' figures at each scrape.
type servicesCollector struct{ set *services.Set }

var (
	poolConnsDesc = prometheus.NewDesc("godoo_db_pool_connections", "Connections of a database's pool, by state (in_use, idle).", []string{"db", "state"}, nil)
	poolWaitsDesc = prometheus.NewDesc("godoo_db_pool_waits_total", "Times a query waited for a connection of the pool.", []string{"db"}, nil)
	poolWaitDesc  = prometheus.NewDesc("godoo_db_pool_wait_seconds_total", "Time spent waiting for a connection of the pool.", []string{"db"}, nil)
	gateDesc      = prometheus.NewDesc("godoo_db_gate_queue_length", "Calls waiting for a place at a database's gate, which admits as many calls as the pool has connections.", []string{"db"}, nil)
	feedDesc      = prometheus.NewDesc("godoo_listen_feed_up", "Whether a database's LISTEN feed of credential changes is up (1) or down (0); PostgreSQL only.", []string{"db"}, nil)
	cacheDesc     = prometheus.NewDesc("godoo_cache_lookups_total", "Look-ups of a cache (credentials: verified passwords and keys; access: access rights and record rules), by result (hit, miss).", []string{"cache", "result"}, nil)
	ratioDesc     = prometheus.NewDesc("godoo_cache_hit_ratio", "Hits over look-ups of a cache since the process started.", []string{"cache"}, nil)
)

func (c *servicesCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConnsDesc, poolWaitsDesc, poolWaitDesc, gateDesc, feedDesc, cacheDesc, ratioDesc} {
		ch <- d
	}
}

func (c *servicesCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.set.Stats()
	// A database whose pool was reopened appears once per pool until
	// the old one is forgotten: its figures add up.
	type dbFig struct {
		inUse, idle, waits, queued int
		wait                       time.Duration
		feed                       services.FeedState
	}
	figs := map[string]*dbFig{}
	var order []string
	for _, d := range st.DBs {
		f := figs[d.Name]
		if f == nil {
			f = &dbFig{}
			figs[d.Name] = f
			order = append(order, d.Name)
		}
		f.inUse += d.Pool.InUse
		f.idle += d.Pool.Idle
		f.waits += int(d.Pool.WaitCount)
		f.wait += d.Pool.WaitDuration
		f.queued += int(d.Queued)
		f.feed = max(f.feed, d.Feed)
	}
	for _, name := range order {
		f := figs[name]
		ch <- prometheus.MustNewConstMetric(poolConnsDesc, prometheus.GaugeValue, float64(f.inUse), name, "in_use")
		ch <- prometheus.MustNewConstMetric(poolConnsDesc, prometheus.GaugeValue, float64(f.idle), name, "idle")
		ch <- prometheus.MustNewConstMetric(poolWaitsDesc, prometheus.CounterValue, float64(f.waits), name)
		ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, f.wait.Seconds(), name)
		ch <- prometheus.MustNewConstMetric(gateDesc, prometheus.GaugeValue, float64(f.queued), name)
		if f.feed != services.FeedNone {
			up := 0.0
			if f.feed == services.FeedUp {
				up = 1
			}
			ch <- prometheus.MustNewConstMetric(feedDesc, prometheus.GaugeValue, up, name)
		}
	}
	for _, cache := range []struct {
		name string
		c    services.HitCount
	}{{"credentials", st.Credentials}, {"access", st.Access}} {
		ch <- prometheus.MustNewConstMetric(cacheDesc, prometheus.CounterValue, float64(cache.c.Hits), cache.name, "hit")
		ch <- prometheus.MustNewConstMetric(cacheDesc, prometheus.CounterValue, float64(cache.c.Misses), cache.name, "miss")
		ratio := 0.0
		if n := cache.c.Hits + cache.c.Misses; n > 0 {
			ratio = float64(cache.c.Hits) / float64(n)
		}
		ch <- prometheus.MustNewConstMetric(ratioDesc, prometheus.GaugeValue, ratio, cache.name)
	}
}
