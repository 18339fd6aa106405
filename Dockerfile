# Build a static binary, then run it as a non-root user on a minimal image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/dispatchbot ./cmd/dispatchbot

FROM gcr.io/distroless/static-debian12:nonroot
# Time zone data is compiled into the binary (time/tzdata); CA certificates come with the base image.
COPY --from=build /out/dispatchbot /usr/local/bin/dispatchbot
USER nonroot:nonroot
ENV LISTEN_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/dispatchbot"]
CMD ["serve"]
