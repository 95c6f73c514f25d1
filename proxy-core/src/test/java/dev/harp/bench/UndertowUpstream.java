package dev.harp.bench;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

/** The fallback origin when nginx is not installed: Undertow in this JVM, answering from memory on its I/O threads. */
final class UndertowUpstream implements Upstream {
    private final Undertow server;
    private final int httpPort;
    private final int httpsPort;

    private UndertowUpstream(Undertow server) {
        this.server = server;
        this.httpPort = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        this.httpsPort = ((InetSocketAddress) server.getListenerInfo().get(1).getAddress()).getPort();
    }

    static UndertowUpstream start(TlsMaterial tls) throws GeneralSecurityException, IOException {
        Map<String, ByteBuffer> bodies = new HashMap<>();
        for (Bodies b : Bodies.values()) {
            bodies.put(b.path, ByteBuffer.wrap(b.bytes()).asReadOnlyBuffer());
        }
        Undertow server = Undertow.builder()
                .addHttpListener(0, TlsMaterial.HOST)
                .addHttpsListener(0, TlsMaterial.HOST, tls.upstreamServerContext())
                .setIoThreads(1)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setHandler(ex -> {
                    ByteBuffer body = bodies.get(ex.getRequestPath());
                    if (body == null) {
                        ex.setStatusCode(404);
                        ex.endExchange();
                        return;
                    }
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    ex.getResponseSender().send(body.duplicate());
                })
                .build();
        server.start();
        return new UndertowUpstream(server);
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public int httpsPort() {
        return httpsPort;
    }

    @Override
    public String description() {
        return "Undertow in the benchmark's JVM (nginx was not found: fallback; one I/O thread, HTTPS offers h2)";
    }

    @Override
    public void close() {
        server.stop();
    }
}
