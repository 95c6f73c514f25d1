package dev.harp.proxy;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Turns an upstream exception into the status and the one-line explanation the client gets.
 *
 * @param status  502 or 504
 * @param message plain text naming the upstream and the reason
 */
record UpstreamFailure(int status, String message) {

    static UpstreamFailure of(Target target, Throwable error) {
        String who = "upstream " + target.authority();
        if (has(error, HttpConnectTimeoutException.class)) {
            return new UpstreamFailure(504, who + " did not accept a connection in time (connect timeout)");
        }
        HttpTimeoutException timeout = find(error, HttpTimeoutException.class);
        if (timeout != null) {
            String m = String.valueOf(timeout.getMessage());
            return new UpstreamFailure(504, who + " " + (m.startsWith("did not take the request body")
                    ? m : "did not answer in time (response timeout)"));
        }
        if (has(error, ConnectException.class)) {
            return new UpstreamFailure(502, who + " refused the connection");
        }
        if (has(error, UnresolvedAddressException.class) || has(error, UnknownHostException.class)) {
            return new UpstreamFailure(502, "cannot resolve the host name of " + who);
        }
        SSLException tls = find(error, SSLException.class);
        if (tls != null) {
            return new UpstreamFailure(502, "TLS handshake with " + who + " failed: " + messageOf(tls)
                    + " (use --insecure-upstream or --upstream-trust FILE for test servers with their own certificates)");
        }
        if (closedWithoutAnswer(error)) {
            return new UpstreamFailure(502, who + " closed the connection without answering");
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = error.getMessage() != null ? error.getMessage() : messageOf(root);
        return new UpstreamFailure(502, who + " failed: " + m);
    }

    /**
     * Whether {@code error} is an upstream connection that broke (closed, reset) rather than one that could not be
     * made, timed out, or failed TLS: the kind of failure a retry on a fresh connection can cure.
     */
    static boolean brokenConnection(Throwable error) {
        return !has(error, HttpTimeoutException.class) && !has(error, ConnectException.class)
                && !has(error, UnresolvedAddressException.class) && !has(error, UnknownHostException.class)
                && !has(error, SSLException.class) && !has(error, java.util.concurrent.CancellationException.class);
    }

    /** The JDK's ClosedChannelException, or Undertow's client "UT001000: Connection closed". */
    static boolean closedWithoutAnswer(Throwable error) {
        return has(error, java.nio.channels.ClosedChannelException.class)
                || String.valueOf(error.getMessage()).endsWith("Connection closed");
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        return find(t, type) != null;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

}
