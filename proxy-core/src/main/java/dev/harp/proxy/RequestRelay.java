package dev.harp.proxy;

import dev.harp.flow.Headers;
import dev.harp.flow.HttpHeader;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.xnio.ChannelListeners;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * The request half of a {@link Relay}, for one attempt: pumps the client's body (if any) into the upstream request,
 * teeing it into the capture, then ends the upstream request. Failures go back to the relay, tagged with the attempt
 * so that a retry ignores what the abandoned attempt reports late.
 */
final class RequestRelay implements BodyPump.Events {
    /** Headers Harp sets itself on the upstream request. */
    private static final List<String> REPLACED = List.of("host", "expect");

    private final Relay relay;
    private final int attempt;
    private final ClientExchange upstream;
    private BodyPump pump;
    private SlowBodyGuard guard;

    RequestRelay(Relay relay, int attempt, ClientExchange upstream) {
        this.relay = relay;
        this.attempt = attempt;
        this.upstream = upstream;
    }

    /**
     * The upstream request for a client's: its headers without hop-by-hop ones, {@code Host} from the target, and
     * chunked framing for a body of unknown length (Undertow's client frames a body by these headers).
     */
    static ClientRequest toUpstream(HttpServerExchange ex, Target target, List<HttpHeader> headers, long contentLength) {
        ClientRequest request = new ClientRequest().setMethod(ex.getRequestMethod()).setPath(target.pathAndQuery());
        HeaderMap out = request.getRequestHeaders();
        for (HttpHeader h : Headers.withoutHopByHop(headers)) {
            if (!REPLACED.contains(h.name().toLowerCase(Locale.ROOT))) {
                HttpString name = HttpString.tryFromString(h.name());
                if (name != null) {
                    out.add(name, h.value());
                }
            }
        }
        out.put(io.undertow.util.Headers.HOST, target.hostHeader());
        WebSocketUpgrade.restoreUpgrade(headers, out);
        if (contentLength < 0) {
            out.put(io.undertow.util.Headers.TRANSFER_ENCODING, "chunked");
        } else if (contentLength > 0 && !out.contains(io.undertow.util.Headers.CONTENT_LENGTH)) {
            out.put(io.undertow.util.Headers.CONTENT_LENGTH, contentLength); // a chunked body that was read whole
        }
        return request;
    }

    void start() {
        HttpServerExchange ex = relay.request().exchange();
        if (relay.request().contentLength() == 0) {
            if (!ex.isRequestComplete()) {
                readEmptyBody(ex);
            }
            relay.requestSent();
            return;
        }
        BodyPump.Source source;
        if (relay.request().bufferedBody() == null) {
            source = BodyPump.Source.of(ex.getRequestChannel());
        } else {
            try {
                source = BodyPump.Source.of(relay.request().bufferedBody().open()); // each attempt reads it from the start
            } catch (IOException e) {
                relay.failedBeforeHead(attempt, new IOException("cannot read back the request body: " + e.getMessage(), e));
                return;
            }
        }
        pump = new BodyPump(source, upstream.getRequestChannel(), relay.owner().buffers(), this);
        if (relay.request().bufferedBody() == null) {
            guard = SlowBodyGuard.start(ex, relay.request().target().url(), relay.owner().requestTimeout(), this::tooSlow);
        }
        pump.start();
    }

    /** Stops sending (the exchange ended, or the upstream answered before taking the whole body). */
    void cancel() {
        if (pump != null) {
            pump.cancel();
        }
        stopGuard();
    }

    private void stopGuard() {
        if (guard != null) {
            guard.done();
        }
    }

    /**
     * The body stopped moving fast enough: if the pump waits for the upstream to take bytes, the upstream is at fault
     * (504); if it waits for the client to send more, the client is (408).
     */
    private void tooSlow() {
        if (pump != null && pump.waitingForSink()) {
            relay.failedBeforeHead(attempt, new java.net.http.HttpTimeoutException(
                    "did not take the request body in time (" + guard.progress() + ")"));
        } else {
            relay.ending().clientTooSlow(guard.progress());
        }
    }

    /**
     * Reads the end of a request without a body, which completes the request on Undertow's side: only then may
     * {@link ClientWatch} probe the connection for a client that leaves while the upstream thinks.
     */
    private void readEmptyBody(HttpServerExchange ex) {
        StreamSourceChannel in = ex.getRequestChannel();
        if (in == null) {
            return;
        }
        try (PooledByteBuffer buffer = relay.owner().buffers().allocate()) {
            in.read(buffer.getBuffer());
        } catch (IOException e) {
            relay.ending().clientAborted("client went away after sending the request: " + e);
        }
    }

    @Override
    public void data(ByteBuffer chunk) throws IOException {
        if (guard != null) {
            guard.received(chunk.remaining());
        }
        relay.ending().requestBody().write(chunk);
    }

    @Override
    public void ended() {
        stopGuard();
        StreamSinkChannel body = upstream.getRequestChannel();
        try {
            body.shutdownWrites();
            if (!body.flush()) {
                body.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        channel -> {
                            channel.suspendWrites();
                            relay.requestSent();
                        },
                        (channel, e) -> relay.failedBeforeHead(attempt, e)));
                body.resumeWrites();
                return;
            }
        } catch (IOException e) {
            relay.failedBeforeHead(attempt, e);
            return;
        }
        relay.requestSent();
    }

    @Override
    public void sourceFailed(IOException error) {
        stopGuard();
        String malformed = RequestFraming.bodyProblem(error);
        if (malformed != null) {
            relay.ending().badRequestBody(malformed);
            return;
        }
        relay.ending().clientAborted("client went away while sending the request body: " + error);
    }

    @Override
    public void sinkFailed(IOException error) {
        stopGuard();
        relay.failedBeforeHead(attempt, error);
    }
}
