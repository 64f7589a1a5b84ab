package dev.jitcolumns.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Whole directory trees: a server's data directory started from scratch, a Keycloak distribution copied. */
public final class Directories {

    private Directories() {
    }

    /** Deletes the directory and everything in it; nothing if it does not exist. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Replaces {@code to} with a copy of {@code from}, leaving out the paths {@code skip} accepts (and what is under them). */
    public static Path copy(Path from, Path to, Predicate<Path> skip) throws IOException {
        delete(to);
        try (Stream<Path> paths = Files.walk(from)) {
            paths.filter(p -> Stream.iterate(p, q -> q != null && q.startsWith(from), Path::getParent).noneMatch(skip)).forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return to;
    }
}
