/*
 * Preloaded into h2load (LD_PRELOAD) for the benchmark's h2 rows through Harp: h2load cannot use a proxy, so a
 * connect() to the port in HARP_BENCH_PROXY_PORT (h2load's --connect-to) becomes that connect followed by
 * "CONNECT <HARP_BENCH_CONNECT> HTTP/1.1" and Harp's 200, on the same socket, before h2load sees the socket. After
 * that h2load speaks TLS and h2 on the socket itself: no relay, no byte copied on the way. Every wait is bounded (10 s).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WAIT_MS 10000

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

static int wait_for(int fd, short events) {
    struct pollfd p = {fd, events, 0};
    int n;
    do {
        n = poll(&p, 1, WAIT_MS);
    } while (n < 0 && errno == EINTR);
    return n == 1 && (p.revents & events) ? 0 : -1;
}

static int fail(void) {
    errno = ECONNREFUSED;
    return -1;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
    static connect_fn real;
    if (!real) {
        real = (connect_fn) dlsym(RTLD_NEXT, "connect");
    }
    const char *port = getenv("HARP_BENCH_PROXY_PORT");
    const char *target = getenv("HARP_BENCH_CONNECT");
    if (!port || !target || addr->sa_family != AF_INET
            || ntohs(((const struct sockaddr_in *) addr)->sin_port) != atoi(port)) {
        return real(fd, addr, len);
    }
    if (real(fd, addr, len) != 0) {
        if (errno != EINPROGRESS || wait_for(fd, POLLOUT) != 0) {
            return fail();
        }
        int error = 0;
        socklen_t size = sizeof error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
            return fail();
        }
    }
    char request[512];
    int n = snprintf(request, sizeof request, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target);
    for (int sent = 0; sent < n;) {
        ssize_t w = send(fd, request + sent, n - sent, MSG_NOSIGNAL);
        if (w > 0) {
            sent += w;
        } else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_for(fd, POLLOUT) != 0) {
                return fail();
            }
        } else {
            return fail();
        }
    }
    /* the response head, a byte at a time: nothing after it may be taken from h2load */
    char head[1024];
    size_t got = 0;
    while (got < 4 || memcmp(head + got - 4, "\r\n\r\n", 4) != 0) {
        if (got == sizeof head) {
            return fail();
        }
        ssize_t r = recv(fd, head + got, 1, 0);
        if (r == 1) {
            got++;
        } else if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_for(fd, POLLIN) != 0) {
                return fail();
            }
        } else {
            return fail();
        }
    }
    if (got < 12 || (memcmp(head, "HTTP/1.1 200", 12) != 0 && memcmp(head, "HTTP/1.0 200", 12) != 0)) {
        return fail();
    }
    return 0;
}
