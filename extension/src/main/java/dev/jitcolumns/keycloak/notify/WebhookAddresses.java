package dev.jitcolumns.keycloak.notify;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a webhook may post: not to this machine, a link-local address (cloud metadata) or a private network, which a
 * realm manager could otherwise reach from Keycloak and probe through the audited outcomes, unless the operator lists
 * the address ({@value #OPTION}, e.g. a receiver on the same host). Checked when it is set and before each post.
 */
public final class WebhookAddresses {

    public static final String OPTION = "webhook-allowed-private-addresses";

    private final Set<InetAddress> allowed;

    private WebhookAddresses(Set<InetAddress> allowed) {
        this.allowed = allowed;
    }

    /** From the option's value: IP addresses, comma-separated; empty allows none. */
    public static WebhookAddresses parse(String option) {
        if (option == null || option.isBlank()) {
            return new WebhookAddresses(Set.of());
        }
        return new WebhookAddresses(Arrays.stream(option.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(WebhookAddresses::literal).collect(Collectors.toUnmodifiableSet()));
    }

    private static InetAddress literal(String address) {
        if (!address.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException(OPTION + ": " + address + " is not an IP address");
        }
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(OPTION + ": " + address + " is not an IP address", e);
        }
    }

    public String option() {
        return allowed.stream().map(InetAddress::getHostAddress).sorted().collect(Collectors.joining(","));
    }

    /** Resolves the URL's host; throws naming the problem if it has an address a webhook may not reach. */
    public void check(URI url) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host " + url.getHost() + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isInternal(a) && !allowed.contains(a)) {
                throw new IllegalArgumentException("host " + url.getHost() + " is a loopback, link-local or private address ("
                        + a.getHostAddress() + "); the operator may allow it with the option " + OPTION);
            }
        }
    }

    static boolean isInternal(InetAddress a) {
        byte[] b = a.getAddress();
        boolean carrierNat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;   // 100.64.0.0/10
        boolean uniqueLocal = a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;           // fc00::/7
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress() || carrierNat || uniqueLocal;
    }
}
