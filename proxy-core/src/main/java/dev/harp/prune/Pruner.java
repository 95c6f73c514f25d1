package dev.harp.prune;

import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.har.HarWriter;
import dev.harp.usage.UsageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Applies a {@link PrunePlan}: rewrites, then fixture deletions, then side files, each re-checked first. */
final class Pruner {
    private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

    private Pruner() {
    }

    static PruneResult apply(PrunePlan plan, Path base) {
        List<String> done = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Set<Path> changed = new HashSet<>();
        int entries = 0;
        int files = 0;
        int sides = 0;
        for (PrunePlan.Rewrite r : plan.rewrites()) {
            try {
                String problem = rewrite(r);
                if (problem.isEmpty()) {
                    changed.add(r.file());
                    entries += r.remove().size();
                    done.add("removed " + r.remove().size() + " of " + r.entries() + " entries from "
                            + PrunePlan.show(base, r.file()));
                    LOG.debug("Harp pruned {} entries from {}", r.remove().size(), r.file());
                } else {
                    refused.add(PrunePlan.show(base, r.file()) + ": " + problem);
                }
            } catch (IOException | RuntimeException e) {
                refused.add(PrunePlan.show(base, r.file()) + ": " + e.getMessage());
            }
        }
        for (PrunePlan.Removal r : plan.removals()) {
            try {
                String problem = unchanged(r.file(), r.sha256());
                if (problem.isEmpty()) {
                    Files.delete(r.file());
                    changed.add(r.file());
                    files++;
                    done.add("deleted " + PrunePlan.show(base, r.file()) + " (" + r.why() + ")");
                } else {
                    refused.add(PrunePlan.show(base, r.file()) + ": " + problem);
                }
            } catch (IOException | RuntimeException e) {
                refused.add(PrunePlan.show(base, r.file()) + ": cannot delete it: " + e);
            }
        }
        for (Map.Entry<Path, Set<Path>> side : plan.sideFileOwners().entrySet()) {
            Path file = side.getKey();
            if (!changed.containsAll(side.getValue())) {
                refused.add(PrunePlan.show(base, file) + ": kept, since the fixture naming it was not changed");
                continue;
            }
            try {
                if (!SideFileRefs.deletable(file, plan.usage().roots())) {
                    refused.add(PrunePlan.show(base, file) + ": no longer a plain file inside the fixture folders");
                    continue;
                }
                Files.delete(file);
                sides++;
                done.add("deleted side file " + PrunePlan.show(base, file));
            } catch (IOException | RuntimeException e) {
                refused.add(PrunePlan.show(base, file) + ": cannot delete it: " + e);
            }
        }
        String summary = "removed " + PrunePlan.plural(entries, "entry", "entries") + ", "
                + PrunePlan.plural(files, "fixture file", "fixture files") + " and "
                + PrunePlan.plural(sides, "side file", "side files")
                + (refused.isEmpty() ? "" : "; refused " + refused.size());
        return new PruneResult(done, refused, summary);
    }

    /** Rewrites one fixture; returns why it was refused, or empty when it was rewritten. */
    private static String rewrite(PrunePlan.Rewrite r) throws IOException {
        String problem = unchanged(r.file(), r.sha256());
        if (!problem.isEmpty()) {
            return problem;
        }
        Har har = HarReader.read(r.file());
        List<HarEntry> all = har.entries();
        if (all.size() != r.entries()) {
            return "it holds " + all.size() + " entries, not the " + r.entries() + " planned";
        }
        List<HarEntry> keep = new ArrayList<>(all.size() - r.remove().size());
        for (int i = 0; i < all.size(); i++) {
            if (!r.remove().contains(i)) {
                keep.add(all.get(i));
            }
        }
        String again = unchanged(r.file(), r.sha256()); // read whole the content planned: nothing wrote meanwhile
        if (!again.isEmpty()) {
            return again;
        }
        HarWriter.write(r.file(), har.withEntries(keep));
        return "";
    }

    /** Why a file may not be changed: it changed since the plan, or is no longer a plain file; empty when it may. */
    private static String unchanged(Path file, String sha256) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return "it is no longer a regular file";
        }
        String now = UsageLog.sha256(file);
        if (!now.equals(sha256)) {
            return "it changed since the plan (SHA-256 " + abbreviate(sha256) + " then, " + abbreviate(now)
                    + " now): run the build again";
        }
        return "";
    }

    private static String abbreviate(String sha) {
        return sha.isEmpty() ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
