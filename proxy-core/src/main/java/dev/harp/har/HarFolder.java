package dev.harp.har;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The {@code *.har} files under a folder, found without leaving it: folders are walked without following links
 * (a linked folder is not entered), a {@code *.har} link is kept only when its target is a regular file inside the
 * folder, anything else that is not a regular file (FIFO, device, socket) is skipped, and the depth is bounded.
 * Shared by the tools that read fixture folders (lint, {@code harp diff}, the report, pruning).
 */
public final class HarFolder {
    private static final Logger LOG = LoggerFactory.getLogger(HarFolder.class);
    /** Deepest folder entered below the root. */
    public static final int MAX_DEPTH = 64;

    /**
     * @param files    the HAR files to read, as paths under the folder as given, sorted
     * @param linksOut {@code *.har} links whose target lies outside the folder (not read), sorted
     * @param unreadable files and folders that could not be read, with the reason
     */
    public record Result(List<Path> files, List<Path> linksOut, List<Unreadable> unreadable) {
    }

    /** A file or folder under the root that could not be read. */
    public record Unreadable(Path path, String why) {
    }

    private HarFolder() {
    }

    /**
     * @param folder the folder to walk
     * @return the {@code *.har} files under it, the links that lead out of it, and what could not be read
     * @throws IOException when the folder itself cannot be read
     */
    public static Result harFiles(Path folder) throws IOException {
        Path realRoot = folder.toRealPath();
        List<Path> files = new ArrayList<>();
        List<Path> linksOut = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        Files.walkFileTree(realRoot, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".har")) {
                    return FileVisitResult.CONTINUE;
                }
                Path shown = folder.resolve(realRoot.relativize(file).toString());
                if (attrs.isRegularFile()) {
                    files.add(shown);
                } else if (attrs.isSymbolicLink()) {
                    link(file, shown);
                } else {
                    LOG.debug("Harp skips {}: not a regular file", shown);
                }
                return FileVisitResult.CONTINUE;
            }

            private void link(Path file, Path shown) {
                Path target;
                try {
                    target = file.toRealPath();
                } catch (IOException dangling) {
                    LOG.debug("Harp skips {}: a link to nothing ({})", shown, dangling.toString());
                    return;
                }
                if (!target.startsWith(realRoot)) {
                    linksOut.add(shown);
                } else if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(shown);
                } else {
                    LOG.debug("Harp skips {}: a link to something that is not a regular file", shown);
                }
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                unreadable.add(new Unreadable(folder.resolve(realRoot.relativize(file).toString()), e.toString()));
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        linksOut.sort(null);
        return new Result(List.copyOf(files), List.copyOf(linksOut), List.copyOf(unreadable));
    }
}
