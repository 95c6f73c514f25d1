package dev.harp.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses CA files that other users could read or change, as ssh refuses a private key readable by others: a CA
 * key others can read lets them intercept whatever trusts the CA, and a folder others can write lets them put their
 * own CA in its place. The message names the file and the {@code chmod} that fixes it. File systems without POSIX
 * permissions are not checked.
 */
final class CaPermissions {
    private static final Logger LOG = LoggerFactory.getLogger(CaPermissions.class);
    private static final Set<PosixFilePermission> KEY_FORBIDDEN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> FOLDER_FORBIDDEN = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    /** Characters a POSIX shell takes literally in a word, so a path made of them needs no quotes. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CaPermissions() {
    }

    /**
     * @param key the CA private key file
     * @throws CertificateAuthorityException if its group or others may read or write it
     */
    static void checkKey(Path key) throws CertificateAuthorityException {
        if (!Files.isRegularFile(key)) {
            return; // reading it says what it is instead
        }
        Set<PosixFilePermission> permissions = permissions(key);
        if (permissions == null || permissions.stream().noneMatch(KEY_FORBIDDEN::contains)) {
            return;
        }
        throw new CertificateAuthorityException(key + ": the CA private key is " + access(permissions)
                + " by other users (permissions " + PosixFilePermissions.toString(permissions)
                + "); Harp refuses to use it. Fix it with: chmod 600 " + shellWord(key));
    }

    /**
     * @param dir the CA folder
     * @throws CertificateAuthorityException if its group or others may write it
     */
    static void checkFolder(Path dir) throws CertificateAuthorityException {
        Set<PosixFilePermission> permissions = permissions(dir);
        if (permissions == null || permissions.stream().noneMatch(FOLDER_FORBIDDEN::contains)) {
            return;
        }
        throw new CertificateAuthorityException(dir + ": the CA folder is writable by other users (permissions "
                + PosixFilePermissions.toString(permissions) + "), so they could replace the CA; Harp refuses to use it."
                + " Fix it with: chmod go-w " + shellWord(dir));
    }

    private static Set<PosixFilePermission> permissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("{}: cannot check the permissions: {}", file, e.toString());
            return null;
        }
    }

    private static String access(Set<PosixFilePermission> permissions) {
        boolean read = permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ);
        boolean write = permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        return read && write ? "readable and writable" : read ? "readable" : "writable";
    }

    /** The path as one word a POSIX shell reads back unchanged: as it is when safe, else in single quotes. */
    static String shellWord(Path path) {
        String text = path.toString();
        return SHELL_SAFE.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
