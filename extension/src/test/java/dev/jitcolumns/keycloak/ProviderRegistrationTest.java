package dev.jitcolumns.keycloak;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.provider.Spi;

/**
 * Providers are registered one way only, in META-INF/services: each entry names a public, instantiable class
 * of this jar that implements the SPI the file is named after, and no factory is left unregistered.
 */
class ProviderRegistrationTest {

    private static final Path SERVICES = Path.of("target/classes/META-INF/services");

    @Test
    void every_service_entry_is_a_concrete_implementation_of_its_spi() throws Exception {
        List<Path> files = serviceFiles();
        assertFalse(files.isEmpty(), "no META-INF/services files in " + SERVICES.toAbsolutePath());
        for (Path file : files) {
            Class<?> spi = Class.forName(file.getFileName().toString());
            for (String name : entries(file)) {
                Class<?> provider = Class.forName(name);
                assertTrue(spi.isAssignableFrom(provider), name + " does not implement " + spi.getName());
                assertFalse(Modifier.isAbstract(provider.getModifiers()), name + " is abstract");
                provider.getConstructor();
            }
        }
    }

    @Test
    void every_provider_factory_of_the_jar_is_registered() throws Exception {
        List<String> registered = serviceFiles().stream().flatMap(f -> entries(f).stream()).toList();
        try (Stream<Path> classes = Files.walk(Path.of("target/classes"))) {
            List<String> factories = classes
                    .map(p -> Path.of("target/classes").relativize(p).toString())
                    .filter(p -> p.endsWith("ProviderFactory.class") && !p.contains("$"))
                    .map(p -> p.replace('/', '.').replace(".class", ""))
                    .toList();
            assertFalse(factories.isEmpty());
            for (String factory : factories) {
                if (!Class.forName(factory).isInterface()) {
                    assertTrue(registered.contains(factory), factory + " is not in META-INF/services");
                }
            }
        }
    }

    /** Ids in Keycloak's SPIs carry the product name; providers of our own SPI are scoped by it already. */
    @Test
    void ids_in_keycloak_spis_are_the_product_name() throws Exception {
        for (Path file : serviceFiles()) {
            String spi = file.getFileName().toString();
            for (String name : entries(file)) {
                Class<?> type = Class.forName(name);
                String id;
                if (Spi.class.isAssignableFrom(type)) {
                    id = ((Spi) type.getConstructor().newInstance()).getName();
                } else if (spi.startsWith("dev.jitcolumns.")) {
                    continue;
                } else {
                    id = type.getField("PROVIDER_ID").get(null).toString();
                }
                assertTrue(id.matches("jit-columns(-[a-z]+)*"), name + " has id " + id);
            }
        }
    }

    private static List<Path> serviceFiles() throws IOException {
        try (Stream<Path> files = Files.list(SERVICES)) {
            return files.toList();
        }
    }

    private static List<String> entries(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
