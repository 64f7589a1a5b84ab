package dev.jitcolumns.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Reads the packaged theme jar the way Keycloak 26.7.3 does: theme list, parents, and each console's
 * Vite manifest and entry chunk (the pitfalls of notes/consoles.md that would only show in a browser).
 */
class ThemeJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the parent themes' import map provides; nothing else may stay a bare import. */
    private static final Set<String> IMPORT_MAP = Set.of("react", "react/jsx-runtime", "react-dom");
    /** The static imports at the top of an ES module (where the bundler hoists them). */
    private static final Pattern LEADING_IMPORT = Pattern.compile("\\G\\s*import\\s*(?:[^;\"]*?from\\s*)?\"([^\"]+)\";?");

    private static JarFile jar;

    @BeforeAll
    static void open() throws IOException {
        Path target = Path.of(System.getProperty("theme.jar.dir", "target"));
        try (Stream<Path> files = Files.list(target)) {
            Path file = files.filter(p -> p.getFileName().toString().matches("jit-columns-themes-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no theme jar in " + target));
            jar = new JarFile(file.toFile());
        }
    }

    private static String text(String entry) throws IOException {
        assertNotNull(jar.getEntry(entry), entry + " is in the jar");
        try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void keycloak_finds_one_theme_of_three_types() throws IOException {
        JsonNode themes = JSON.readTree(text("META-INF/keycloak-themes.json")).get("themes");
        assertEquals(1, themes.size());
        assertEquals("jit-columns", themes.get(0).get("name").asText());
        List<String> types = new ArrayList<>();
        themes.get(0).get("types").forEach(t -> types.add(t.asText()));
        assertEquals(List.of("account", "admin", "email"), types);
    }

    @ParameterizedTest
    @ValueSource(strings = {"account:keycloak.v3", "admin:keycloak.v2", "email:keycloak"})
    void each_type_extends_the_stock_theme(String typeAndParent) throws IOException {
        String[] parts = typeAndParent.split(":");
        Properties p = new Properties();
        p.load(new java.io.StringReader(text("theme/jit-columns/" + parts[0] + "/theme.properties")));
        assertEquals(parts[1], p.getProperty("parent"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"account", "admin"})
    void the_manifest_names_one_entry_whose_files_exist_and_no_chunk_to_preload(String type) throws IOException {
        String base = "theme/jit-columns/" + type + "/resources/";
        JsonNode manifest = JSON.readTree(text(base + ".vite/manifest.json"));
        List<JsonNode> entries = new ArrayList<>();
        manifest.forEach(chunk -> {
            if (chunk.path("isEntry").asBoolean()) {
                entries.add(chunk);
            }
        });
        assertEquals(1, entries.size(), "one entry chunk");
        JsonNode entry = entries.get(0);
        assertTrue(entry.path("imports").isMissingNode() || entry.path("imports").isEmpty(),
                "Keycloak turns imports into modulepreload links: " + entry.path("imports"));
        assertNotNull(jar.getEntry(base + entry.get("file").asText()), "entry script packaged");
        entry.path("css").forEach(css -> assertNotNull(jar.getEntry(base + css.asText()), css + " packaged"));

        Matcher imports = LEADING_IMPORT.matcher(text(base + entry.get("file").asText()));
        List<String> specifiers = new ArrayList<>();
        while (imports.find()) {
            specifiers.add(imports.group(1));
        }
        assertTrue(specifiers.contains("react"), "React comes from the import map: " + specifiers);
        assertTrue(IMPORT_MAP.containsAll(specifiers), "imports the parent theme's import map does not cover: " + specifiers);
    }

    @Test
    void the_account_navigation_lists_our_page_among_the_stock_ones() throws IOException {
        JsonNode content = JSON.readTree(text("theme/jit-columns/account/resources/content.json"));
        List<String> labels = new ArrayList<>();
        content.forEach(item -> labels.add(item.path("label").asText()));
        assertTrue(labels.containsAll(List.of("personalInfo", "jitSensitiveData", "accountSecurity", "applications")), labels.toString());
    }

    /** The templates and subject keys the extension's notify.Mail names (a template without its subject mails the key). */
    @ParameterizedTest
    @ValueSource(strings = {"jit-request-to-decide:jitRequestToDecideSubject", "jit-request-approved:jitRequestApprovedSubject",
            "jit-request-denied:jitRequestDeniedSubject", "jit-break-glass:jitBreakGlassSubject",
            "jit-request-escalated:jitRequestEscalatedSubject", "jit-grant-revoked:jitGrantRevokedSubject"})
    void each_notification_has_html_text_and_every_message_it_uses(String templateAndSubject) throws IOException {
        String[] parts = templateAndSubject.split(":");
        Properties messages = new Properties();
        messages.load(new java.io.StringReader(text("theme/jit-columns/email/messages/messages_en.properties")));
        assertNotNull(messages.getProperty(parts[1]), parts[1]);
        for (String kind : List.of("html", "text")) {
            Matcher keys = Pattern.compile("\"(jit\\w+)\"").matcher(text("theme/jit-columns/email/" + kind + "/" + parts[0] + ".ftl"));
            while (keys.find()) {
                assertNotNull(messages.getProperty(keys.group(1)), keys.group(1) + " used by " + kind + "/" + parts[0]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"account", "admin", "email"})
    void messages_are_packaged(String type) throws IOException {
        assertTrue(text("theme/jit-columns/" + type + "/messages/messages_en.properties").contains("jit"));
    }
}
