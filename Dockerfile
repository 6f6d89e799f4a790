# Builds the godoo binary (pure Go, no cgo) into a small image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /godoo ./cmd/godoo

FROM gcr.io/distroless/static-debian12
COPY --from=build /godoo /godoo
EXPOSE 8069
ENTRYPOINT ["/godoo"]
CMD ["serve", "--http-addr", "0.0.0.0:8069"]
