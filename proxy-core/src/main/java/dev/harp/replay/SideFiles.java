package dev.harp.replay;

import dev.harp.replay.Unreplayable.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Bodies kept beside a HAR in side files (Playwright's {@code content._file} and {@code postData._file}), read as
 * untrusted input: the name must stay inside the HAR's folder also after following symbolic links, the file must be
 * a regular file (no device, FIFO or socket), and at most the capture limit is read.
 */
final class SideFiles {
    private final Path baseDir;
    private final long limit;
    private volatile Path realFolder; // resolved at the first side file, not once per file: a HAR may have thousands

    /**
     * @param baseDir the HAR's folder, or null when unknown (then every side file is refused)
     * @param limit   the largest side file read, in bytes (the capture limit)
     */
    SideFiles(Path baseDir, long limit) {
        this.baseDir = baseDir;
        this.limit = limit;
    }

    /** The content of side file {@code name}; {@code what} says whose body it is in messages. */
    byte[] read(String name, String what) throws Unreplayable {
        if (baseDir == null) {
            throw refused(what + " kept in side file " + name + ", but the HAR's folder is unknown");
        }
        Path folder = realFolder(name);
        Path named = folder.resolve(name).normalize();
        if (!named.startsWith(folder)) {
            throw refused(what + " side file " + name + " lies outside the HAR's folder");
        }
        Path real;
        try {
            real = named.toRealPath();
        } catch (NoSuchFileException e) {
            throw refused(what + " side file " + named + " does not exist");
        } catch (IOException e) {
            throw refused("cannot resolve the " + what + " side file " + named + ": " + e.getMessage());
        }
        if (!real.startsWith(folder)) {
            throw refused(what + " side file " + name + " is a link to " + real + ", outside the HAR's folder");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw refused("cannot read the " + what + " side file " + real + ": " + e.getMessage());
        }
        if (!attributes.isRegularFile()) {
            throw refused(what + " side file " + name + " is not a regular file (a device, FIFO or folder)");
        }
        if (attributes.size() > limit) {
            throw tooLarge(what, name, attributes.size());
        }
        try (InputStream in = Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (content.length > limit) { // it grew since its size was read
                throw tooLarge(what, name, content.length);
            }
            return content;
        } catch (Unreplayable e) {
            throw e;
        } catch (IOException e) {
            throw refused("cannot read the " + what + " side file " + real + ": " + e.getMessage());
        }
    }

    private Path realFolder(String name) throws Unreplayable {
        if (realFolder == null) {
            try {
                realFolder = baseDir.toRealPath();
            } catch (IOException e) {
                throw refused("cannot resolve the HAR's folder " + baseDir + " for side file " + name + ": " + e);
            }
        }
        return realFolder;
    }

    private Unreplayable tooLarge(String what, String name, long size) {
        return new Unreplayable(Reason.TOO_LARGE, what + " side file " + name + " has more than " + limit
                + " bytes (" + size + "), the capture limit; raise the capture limit to replay it");
    }

    private static Unreplayable refused(String message) {
        return new Unreplayable(Reason.SIDE_FILE, message);
    }
}
