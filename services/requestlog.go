package services

import (
	"context"
	"log/slog"
)

// requestLog adds the request id the context carries (Client.RequestID) to
// every record logged with that context, so that the lines services writes
// while serving a call (a session opened, a replica that stopped
// answering, a read-only call retried on the primary) name the request the
// access log line names.
type requestLog struct{ slog.Handler }

func (h requestLog) Handle(ctx context.Context, r slog.Record) error {
	if id := clientOf(ctx).RequestID; id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestLog{h.Handler.WithAttrs(attrs)}
}

func (h requestLog) WithGroup(name string) slog.Handler {
	return requestLog{h.Handler.WithGroup(name)}
}
