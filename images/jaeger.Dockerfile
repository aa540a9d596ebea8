# The local environment's trace backend (`npm run local -- --tracing`, src/local/trace-backend.ts): the toolchain's
# Jaeger binary, built from its Go module, on the services' runtime base (images/Dockerfile), which brings the C library
# it links, the nonroot user and the Node.js its healthcheck runs. The build context (a temporary directory) holds the
# binary and the configuration src/local/jaeger-config.ts writes.
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot
FROM ${RUNTIME_IMAGE}
COPY jaeger /jaeger
COPY config.yaml /etc/jaeger/config.yaml
USER 65532:65532
ENTRYPOINT ["/jaeger", "--config", "/etc/jaeger/config.yaml"]
