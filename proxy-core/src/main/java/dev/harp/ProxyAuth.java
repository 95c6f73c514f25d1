package dev.harp;

import java.util.Objects;

/**
 * Credentials a client must present (as {@code Proxy-Authorization: Basic}) to use a Harp proxy; without them it
 * answers 407. Meant for a proxy bound to an address other machines can reach. Immutable; {@link #toString()} never
 * shows the password, and Harp never logs or records it.
 *
 * @param user     the user name, without {@code ':'}
 * @param password the password
 */
public record ProxyAuth(String user, String password) {
    /** Checks the values. */
    public ProxyAuth {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("proxy auth: the user name must be non-empty and contain no ':'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("proxy auth: the password must not be empty");
        }
    }

    /** Parses {@code USER:PASSWORD} (the password may contain {@code ':'}). */
    public static ProxyAuth parse(String userColonPassword) {
        Objects.requireNonNull(userColonPassword, "userColonPassword");
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("proxy auth must be USER:PASSWORD");
        }
        return new ProxyAuth(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
    }

    /** The user and a masked password. */
    @Override
    public String toString() {
        return "ProxyAuth[user=" + user + ", password=***]";
    }
}
