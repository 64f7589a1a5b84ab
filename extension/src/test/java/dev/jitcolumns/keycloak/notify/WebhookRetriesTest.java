package dev.jitcolumns.keycloak.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a failed webhook delivery is tried again, and when it is given up. */
class WebhookRetriesTest {

    static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");
    static final WebhookRetries DEFAULTS = WebhookRetries.parse(WebhookRetries.DEFAULT_DELAYS, WebhookRetries.DEFAULT_GIVE_UP_HOURS);

    @Test
    void the_default_waits_grow_to_an_hour_then_stay_there() {
        List<Long> waits = new ArrayList<>();
        for (int failed = 1; failed <= 8; failed++) {
            waits.add(Duration.between(CREATED, DEFAULTS.nextAttempt(failed, CREATED, CREATED).orElseThrow()).toSeconds());
        }

        assertEquals(List.of(2L, 10L, 60L, 300L, 1800L, 3600L, 3600L, 3600L), waits);
    }

    @Test
    void a_receiver_down_for_a_day_gets_29_attempts_the_last_within_24_hours() {
        List<Instant> attempts = new ArrayList<>(List.of(CREATED));
        Optional<Instant> next = DEFAULTS.nextAttempt(1, CREATED, CREATED);
        while (next.isPresent()) {
            attempts.add(next.get());
            next = DEFAULTS.nextAttempt(attempts.size(), CREATED, next.get());
        }

        assertEquals(29, attempts.size());
        Instant last = attempts.get(attempts.size() - 1);
        assertTrue(!last.isAfter(CREATED.plus(Duration.ofHours(24))), last.toString());
        assertTrue(last.isAfter(CREATED.plus(Duration.ofHours(23))), last.toString());
    }

    @Test
    void no_attempt_is_planned_past_the_bound() {
        Instant late = CREATED.plus(Duration.ofHours(23)).plusSeconds(1);

        assertEquals(Optional.empty(), DEFAULTS.nextAttempt(20, CREATED, late), "an hour later is past 24 h");
        assertEquals(Optional.of(late.plusSeconds(2)), DEFAULTS.nextAttempt(1, CREATED, late), "2 s later is not");
    }

    @Test
    void a_shorter_schedule_repeats_its_last_delay() {
        WebhookRetries fast = WebhookRetries.parse(" 1, 2 ,3", 1);

        assertEquals(CREATED.plusSeconds(3), fast.nextAttempt(7, CREATED, CREATED).orElseThrow());
        assertEquals("1,2,3", fast.delaysOption());
        assertEquals(Duration.ofHours(1), fast.giveUpAfter());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                         | 24  | webhook-retry-seconds",
            "2,,10                                      | 24  | webhook-retry-seconds",
            "2s,10s                                     | 24  | webhook-retry-seconds",
            "0                                          | 24  | webhook-retry-seconds",
            "-5                                         | 24  | webhook-retry-seconds",
            "86401                                      | 24  | webhook-retry-seconds",
            "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1 | 24  | webhook-retry-seconds",
            "2,10                                       | 0   | webhook-give-up-hours",
            "2,10                                       | 169 | webhook-give-up-hours"})
    void settings_out_of_bounds_are_refused_naming_the_option(String delays, long giveUpHours, String option) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookRetries.parse(delays, giveUpHours));

        assertTrue(e.getMessage().startsWith(option), e.getMessage());
    }
}
