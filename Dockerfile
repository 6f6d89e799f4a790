# godoo in a small image. Build: docker build -t godoo .
# Run: docker run -p 127.0.0.1:8069:8069 -v godoo-data:/data godoo
# godoo is pure Go (SQLite is modernc.org/sqlite), so the binary needs no
# C library and runs on distroless/static.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=0.1.0-dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.Version=${VERSION}" -o /out/godoo ./cmd/godoo
# The data directory (with the filestore folder a shared volume may mount
# over), made here because the final image has no shell; it
# is copied with the owner of the user godoo runs as.
RUN mkdir -p /out/data/filestore

FROM gcr.io/distroless/static-debian12
ARG VERSION=0.1.0-dev
LABEL org.opencontainers.image.title="godoo" \
      org.opencontainers.image.description="Odoo-compatible API server: XML-RPC, JSON-RPC, web routes and JSON-2 over SQLite or PostgreSQL" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/static-debian12"
COPY --from=build /out/godoo /usr/local/bin/godoo
COPY --from=build --chown=65532:65532 /out/data /data
# The SQLite databases (and later the filestore) live in the volume; serve
# listens on every interface of the container.
ENV GODOO_DATA_DIR=/data \
    GODOO_HTTP_ADDR=0.0.0.0:8069
# distroless's nonroot user, by number so that runAsNonRoot can check it.
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8069
# The image has no curl: godoo asks its own /web/health on loopback.
HEALTHCHECK --interval=30s --timeout=10s --start-period=2m --retries=3 \
    CMD ["/usr/local/bin/godoo", "healthcheck", "--timeout", "5s"]
ENTRYPOINT ["/usr/local/bin/godoo"]
CMD ["serve"]
