# The zone-sync sidecar of deploy/kubernetes: rsync and curl, as a non-root user whose UID
# (1654) matches DnsblServer's image user, so the files it writes are readable by the server.
#   docker build -f deploy/docker/zone-sync.Dockerfile -t dnsblserver-zone-sync deploy/docker
FROM alpine:3.20
RUN apk add --no-cache rsync=~3 curl=~8 \
    && adduser -D -H -u 1654 sync
USER 1654
ENTRYPOINT ["/bin/sh"]
