package dev.harp.proxy;

import dev.harp.record.Redactor;
import dev.harp.upstream.InterimResponses;
import dev.harp.upstream.UpstreamPool;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The upstream attempts of one {@link Relay}: acquiring a connection, sending the request head on it, and deciding
 * what follows an attempt that failed before any answer. A new TLS connection closed without an answer is first
 * explained (Undertow's client does not say why a handshake failed); then the request is retried once on a fresh
 * connection when it may be resent, else the failure goes back to the relay, which settles the flow.
 *
 * <p>Every callback carries the number of the attempt it belongs to: once an attempt is abandoned
 * ({@link #abandon}), whatever it reports late is ignored. Like the relay, everything runs on the I/O thread of the
 * client's exchange.
 */
final class UpstreamAttempts {
    /** The retry line keeps the logger it has always been written to. */
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final Relay relay;
    private final UpstreamPool.Origin origin;
    private int attempt;
    private ClientConnection connection;
    private InterimResponses interim;
    private boolean reused;
    private boolean retried;
    private boolean tlsExplained;

    UpstreamAttempts(Relay relay) {
        this.relay = relay;
        Target target = relay.request().target();
        this.origin = new UpstreamPool.Origin(target.scheme(), target.host(), target.port());
    }

    /** Starts the first attempt, on a pooled connection when there is one. */
    void start() {
        relay.owner().upstream().acquire(relay.request().exchange().getIoThread(), origin, acquired());
    }

    /** The number of the current attempt. */
    int current() {
        return attempt;
    }

    /** The current attempt's connection, or null when it has none (yet, or any more). */
    ClientConnection connection() {
        return connection;
    }

    /** Forgets the connection: it has left the pool's care (taken over by a WebSocket relay). */
    void released() {
        connection = null;
        interim = null;
    }

    /** The exchange ended cleanly: its connection goes back to the pool. */
    void release() {
        if (connection != null) {
            relay.owner().upstream().release(relay.request().exchange().getIoThread(), origin, connection, interim);
        }
        released();
    }

    /** Makes the current attempt's callbacks stale (closing its connection calls them again). */
    void abandon() {
        attempt++;
    }

    /** Closes the current connection at once, which is how an HTTP/1.1 upstream learns a request is cancelled. */
    void closeConnection() {
        UpstreamPool.abort(connection);
        released();
    }

    /** A new attempt (the first, or the one retry): callbacks of an earlier attempt are ignored from now on. */
    private UpstreamPool.Acquired acquired() {
        int mine = ++attempt;
        return new UpstreamPool.Acquired() {
            @Override
            public void acquired(ClientConnection c, InterimResponses filter, boolean fromPool) {
                if (relay.ending().settled() || mine != attempt) {
                    // nothing was sent on it: back to the pool
                    relay.owner().upstream().release(relay.request().exchange().getIoThread(), origin, c, filter);
                    return;
                }
                connection = c;
                interim = filter;
                reused = fromPool;
                send(mine);
            }

            @Override
            public void failed(IOException error) {
                relay.failedBeforeHead(mine, error);
            }
        };
    }

    private void send(int mine) {
        if (interim != null) {
            // HTTP/1.1: an interim response (103 Early Hints) is taken out before Undertow's client would take it for
            // the final one, and passed on to the client where its protocol can carry it
            interim.expectResponse((status, reason, headers) -> relay.interimResponse(mine, status, reason, headers));
        }
        connection.sendRequest(relay.request().toUpstream(), new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                requestReady(mine, exchange);
            }

            @Override
            public void failed(IOException e) {
                relay.failedBeforeHead(mine, e);
            }
        });
    }

    private void requestReady(int mine, ClientExchange exchange) {
        if (relay.ending().settled() || mine != attempt) {
            return;
        }
        exchange.setResponseListener(new ClientCallback<>() {
            @Override
            public void completed(ClientExchange result) {
                if (mine == attempt) {
                    relay.responseHead(result);
                }
            }

            @Override
            public void failed(IOException e) {
                relay.failedBeforeHead(mine, e);
            }
        });
        relay.sendBody(mine, exchange);
    }

    /**
     * The attempt failed before any answer and has been stopped: explains a TLS connection closed without an answer,
     * then retries or hands the failure back to the relay.
     */
    void failed(IOException error) {
        Target target = relay.request().target();
        if ("https".equals(target.scheme()) && !reused && !tlsExplained && relay.clientGone() == null
                && UpstreamFailure.closedWithoutAnswer(error)) {
            // a new TLS connection closed before any answer: most likely a failed handshake, which Undertow's client
            // reports without its reason; find the reason before deciding (no retry can cure a refused certificate)
            tlsExplained = true;
            int mine = attempt;
            relay.owner().upstream().explainClosure(relay.request().exchange().getIoThread(), target.host(), target.port(), tls -> {
                if (!relay.ending().settled() && mine == attempt) {
                    afterFailure(tls != null ? tls : error, tls == null);
                }
            });
            return;
        }
        afterFailure(error, true);
    }

    /** What follows an attempt that failed before any answer: one retry when allowed, else the failure reported. */
    private void afterFailure(IOException error, boolean mayRetry) {
        String gone = relay.clientGone();
        if (gone == null && mayRetry && !retried && resendable() && UpstreamFailure.brokenConnection(error)) {
            // most likely a pooled connection the upstream had just closed (idle timeout): browsers retry such
            // requests once, on a new connection
            retried = true;
            relay.resetRequest();
            Target target = relay.request().target();
            LOG.debug("Harp: {} {} lost its upstream connection before an answer ({}); retrying once",
                    relay.request().method(), Redactor.forLog(target.url()), error.toString());
            relay.owner().upstream().acquireNew(relay.request().exchange().getIoThread(), origin, acquired());
            return;
        }
        if (gone != null) {
            relay.ending().clientAborted(gone + " while the upstream was thinking");
            return;
        }
        UpstreamFailure failure = UpstreamFailure.of(relay.request().target(), error);
        relay.ending().upstreamFailed(failure.status(), failure.message());
    }

    /**
     * Whether a request whose upstream connection broke before any answer may be sent again: a safe request without
     * a body always (as before any retry policy: nothing was lost), any request whose body Harp holds when the broken
     * connection came from the pool (Chrome's rule for reused connections: the upstream closed it while idle, so it
     * never read the request). A body streamed from the client cannot be sent twice.
     */
    private boolean resendable() {
        return relay.request().safeWithoutBody() || (relay.request().bufferedBody() != null && reused);
    }
}
