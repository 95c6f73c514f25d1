package dev.harp.usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;

/**
 * The compiled test classes of a build, by the folder names the JUnit extension gives their fixtures (the simple
 * name, nested classes joined with {@code _}): tells a deleted test class from one that exists but did not run.
 */
final class TestClasses {
    private static final Logger LOG = LoggerFactory.getLogger(TestClasses.class);
    /** Class files read at most; beyond it the names are unknown (never "deleted"). */
    static final int MAX_CLASSES = 500_000;
    /** A class file larger than this is not read for Harp's annotation (it is still counted by name). */
    static final long MAX_CLASS_BYTES = 4L * 1024 * 1024;

    private final Set<String> names;
    private final Instant newest;
    private final Set<String> harpClasses;

    private TestClasses(Set<String> names, Instant newest, Set<String> harpClasses) {
        this.names = names;
        this.newest = newest;
        this.harpClasses = harpClasses;
    }

    /**
     * @param folders the test class folders; none, or none that exists, means unknown
     * @return their classes
     */
    static TestClasses in(Collection<Path> folders) {
        Set<String> names = new HashSet<>();
        Set<String> harp = new java.util.TreeSet<>();
        Instant[] newest = {null};
        boolean any = false;
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            any = true;
            try {
                Files.walkFileTree(folder, EnumSet.noneOf(FileVisitOption.class), 64, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String name = file.getFileName().toString();
                        if (name.endsWith(".class")) {
                            if (names.size() >= MAX_CLASSES) {
                                throw new IOException("more than " + MAX_CLASSES + " class files");
                            }
                            String simple = name.substring(0, name.length() - ".class".length()).replace('$', '_');
                            names.add(simple);
                            if (attrs.size() <= MAX_CLASS_BYTES && ClassFiles.concreteUserOfHarp(Files.readAllBytes(file))) {
                                harp.add(simple);
                            }
                            Instant modified = attrs.lastModifiedTime().toInstant();
                            if (newest[0] == null || modified.isAfter(newest[0])) {
                                newest[0] = modified;
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                LOG.debug("Harp cannot list the test classes in {}: {}", folder, e.toString());
                return new TestClasses(null, null, Set.of());
            }
        }
        return new TestClasses(any ? names : null, any ? newest[0] : null, any ? harp : Set.of());
    }

    /** @return when the newest class file was written, if any is known */
    Optional<Instant> newest() {
        return Optional.ofNullable(newest);
    }

    /**
     * @return the concrete test classes that use Harp ({@code @Harp}, {@code HarpExtension}), by fixture folder name
     *         ({@code WeatherTest}, {@code Outer_Inner}); empty when unknown
     */
    Set<String> harpClasses() {
        return harpClasses;
    }

    /** @return whether the classes are known (a folder was given, exists and could be read) */
    boolean known() {
        return names != null;
    }

    /**
     * @param folderName a fixture folder's name, e.g. {@code WeatherTest} or {@code Outer_Inner}
     * @return whether a compiled class bears that name
     */
    boolean exists(String folderName) {
        return names != null && names.contains(folderName);
    }
}
