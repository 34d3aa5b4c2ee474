# syntax=docker/dockerfile:1
# A small image with only the static stackshelf binary, run as a non-root user.
#   docker build -t stackshelf .
#   docker run --rm -e STACKSHELF_TOKEN -v "$PWD:/kb" stackshelf fetch --team my-team
#   docker run --rm -v "$PWD:/kb" stackshelf render
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/stackshelf .

# distroless/static has CA certificates and a nonroot user, and no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stackshelf /stackshelf
WORKDIR /kb
USER nonroot:nonroot
ENTRYPOINT ["/stackshelf"]
CMD ["--help"]
