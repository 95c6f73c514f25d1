package dev.harp.prune;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.har.HarEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The side files ({@code content._file}, {@code postData._file}) an entry names, resolved as replay resolves them:
 * against the HAR's folder, and only when the name stays inside it. Names leading out of the folder are ignored:
 * replay refuses them, and pruning never touches anything outside the fixture folder.
 */
final class SideFileRefs {
    private SideFileRefs() {
    }

    /**
     * @param folder  the HAR's folder, real path
     * @param entry   an entry of the HAR
     * @param reached whether to add, for names that are links, where they lead (so a file reached through a link
     *                counts as referenced), or only the names (what may be deleted: never a link's target)
     * @return the side files it names (normalised, inside {@code folder})
     */
    static Set<Path> of(Path folder, HarEntry entry, boolean reached) {
        Set<Path> out = new LinkedHashSet<>();
        if (entry.request().postData() != null) {
            add(out, folder, entry.request().postData().extensions(), reached);
        }
        if (entry.response() != null && entry.response().content() != null) {
            add(out, folder, entry.response().content().extensions(), reached);
        }
        return out;
    }

    private static void add(Set<Path> out, Path folder, Map<String, JsonNode> extensions, boolean reached) {
        JsonNode file = extensions == null ? null : extensions.get("_file");
        if (file == null || !file.isTextual() || file.asText().isEmpty()) {
            return;
        }
        Path named;
        try {
            named = folder.resolve(file.asText()).normalize();
        } catch (RuntimeException invalid) { // InvalidPathException: a name no file can have
            return;
        }
        if (!named.startsWith(folder) || named.equals(folder)) {
            return;
        }
        out.add(named);
        if (!reached) {
            return;
        }
        try {
            out.add(named.toRealPath());
        } catch (IOException | SecurityException missing) {
            // a missing side file: nothing to keep or remove
        }
    }

    /**
     * Whether a side file may be deleted: a regular file reached without any link (its path is its real path),
     * inside one of the roots, and not itself a HAR.
     */
    static boolean deletable(Path file, Iterable<Path> roots) {
        if (file.getFileName() == null
                || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".har")
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            if (!file.toRealPath().equals(file)) {
                return false;
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        for (Path root : roots) {
            if (file.startsWith(root)) {
                return true;
            }
        }
        return false;
    }
}
