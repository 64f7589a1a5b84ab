package dev.jitcolumns.testusers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The directory: one user a line, {@code username=password,enabled} or {@code username=password,disabled}. Read on each
 * lookup, so that a test changes a user by rewriting the file, as an administrator would change a directory entry.
 */
record UsersFile(Path path) {

    record Entry(String username, String password, boolean enabled) {}

    Optional<Entry> find(String username) {
        try {
            return Files.readAllLines(path).stream()
                    .map(String::strip)
                    .filter(line -> line.startsWith(username + "="))
                    .map(UsersFile::parse)
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the users file " + path, e);
        }
    }

    private static Entry parse(String line) {
        String[] nameAndRest = line.split("=", 2);
        String[] passwordAndState = nameAndRest[1].split(",", 2);
        return new Entry(nameAndRest[0], passwordAndState[0], !"disabled".equals(passwordAndState[1].strip()));
    }
}
