package dev.harp.junit.client;

import dev.harp.ProxyAuth;

import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;

/**
 * Answers a Harp proxy's challenge with its credentials and passes every other challenge (servers, other proxies) to
 * the authenticator that was there before. Give it to a JDK {@code HttpClient} with
 * {@code HttpClient.newBuilder().authenticator(...)}: unlike {@code HttpURLConnection}, that client never uses the
 * JVM's default authenticator.
 */
public final class HarpAuthenticator extends Authenticator {
    private final InetSocketAddress proxy;
    private final ProxyAuth auth;
    private final Authenticator previous;

    /**
     * @param proxy    Harp's listening address
     * @param auth     its credentials
     * @param previous the authenticator for every other challenge, or null
     */
    public HarpAuthenticator(InetSocketAddress proxy, ProxyAuth auth, Authenticator previous) {
        this.proxy = proxy;
        this.auth = auth;
        this.previous = previous;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
        if (getRequestorType() == RequestorType.PROXY && getRequestingPort() == proxy.getPort()
                && isHarp(getRequestingHost())) {
            return new PasswordAuthentication(auth.user(), auth.password().toCharArray());
        }
        if (previous == null || previous == this) {
            return null;
        }
        return previous.requestPasswordAuthenticationInstance(getRequestingHost(), getRequestingSite(),
                getRequestingPort(), getRequestingProtocol(), getRequestingPrompt(), getRequestingScheme(),
                getRequestingURL(), getRequestorType());
    }

    private boolean isHarp(String host) {
        return host != null && (host.equalsIgnoreCase(proxy.getHostString())
                || proxy.getAddress() != null && host.equals(proxy.getAddress().getHostAddress()));
    }
}
