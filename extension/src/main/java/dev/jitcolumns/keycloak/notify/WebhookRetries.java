package dev.jitcolumns.keycloak.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When a webhook delivery that failed is tried again, and when it is given up: the options
 * {@value #DELAYS_OPTION} (seconds before each retry, the last one repeated; default {@value #DEFAULT_DELAYS}) and
 * {@value #GIVE_UP_OPTION} (default {@value #DEFAULT_GIVE_UP_HOURS}): no attempt is made later than that after the
 * change. Bounded, so that a typo cannot hammer a receiver or keep deliveries for ever.
 */
public record WebhookRetries(List<Duration> delays, Duration giveUpAfter) {

    public static final String DELAYS_OPTION = "webhook-retry-seconds";
    public static final String GIVE_UP_OPTION = "webhook-give-up-hours";
    public static final String DEFAULT_DELAYS = "2,10,60,300,1800,3600";
    public static final long DEFAULT_GIVE_UP_HOURS = 24;

    static final long MAX_DELAY_SECONDS = 86_400;
    static final int MAX_DELAYS = 20;
    static final long MAX_GIVE_UP_HOURS = 168;

    public WebhookRetries {
        delays = List.copyOf(delays);
    }

    /** The options' values; an exception naming the option says what is wrong. */
    public static WebhookRetries parse(String delaysSeconds, long giveUpHours) {
        String[] items = delaysSeconds.split(",", -1);
        if (items.length > MAX_DELAYS) {
            throw new IllegalArgumentException(DELAYS_OPTION + " has " + items.length + " delays, at most " + MAX_DELAYS);
        }
        List<Duration> delays = new ArrayList<>();
        for (String item : items) {
            long seconds;
            try {
                seconds = Long.parseLong(item.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(DELAYS_OPTION + " must be whole seconds separated by commas, not '"
                        + delaysSeconds + "'");
            }
            if (seconds < 1 || seconds > MAX_DELAY_SECONDS) {
                throw new IllegalArgumentException(DELAYS_OPTION + ": each delay is 1 to " + MAX_DELAY_SECONDS
                        + " seconds, not " + seconds);
            }
            delays.add(Duration.ofSeconds(seconds));
        }
        if (giveUpHours < 1 || giveUpHours > MAX_GIVE_UP_HOURS) {
            throw new IllegalArgumentException(GIVE_UP_OPTION + " is 1 to " + MAX_GIVE_UP_HOURS + " hours, not " + giveUpHours);
        }
        return new WebhookRetries(delays, Duration.ofHours(giveUpHours));
    }

    /**
     * When the attempt after {@code failedAttempts} (1 or more) failed ones is due, or empty when that would be past
     * the bound: the delivery is given up.
     */
    public Optional<Instant> nextAttempt(int failedAttempts, Instant createdAt, Instant now) {
        Duration delay = delays.get(Math.min(failedAttempts, delays.size()) - 1);
        Instant next = now.plus(delay);
        return next.isAfter(createdAt.plus(giveUpAfter)) ? Optional.empty() : Optional.of(next);
    }

    /** As the options are written, for the server info. */
    public String delaysOption() {
        return delays.stream().map(d -> Long.toString(d.toSeconds())).collect(Collectors.joining(","));
    }
}
