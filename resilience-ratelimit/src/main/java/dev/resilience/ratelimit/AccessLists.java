package dev.resilience.ratelimit;

import dev.resilience.ratelimit.internal.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The allow and deny lists of {@link RateLimitRules}, by client address and by key. Immutable and thread-safe. */
final class AccessLists {

    enum Verdict { ALLOW, DENY, LIMIT }

    private final List<Cidr> allowedAddresses;
    private final List<Cidr> deniedAddresses;
    private final Set<String> allowedKeys;
    private final Set<String> deniedKeys;
    private final @Nullable ClientIpResolver clientIp;

    private AccessLists(Builder builder, @Nullable ClientIpResolver clientIp) {
        this.allowedAddresses = List.copyOf(builder.allowedAddresses);
        this.deniedAddresses = List.copyOf(builder.deniedAddresses);
        this.allowedKeys = Set.copyOf(builder.allowedKeys);
        this.deniedKeys = Set.copyOf(builder.deniedKeys);
        this.clientIp = clientIp;
    }

    /** What the lists say about a request counted under {@code key}: denied, allowed, or left to the limiter. */
    Verdict verdict(RateLimitRequest request, String key) {
        ClientIpResolver resolver = clientIp;
        InetAddress client = resolver == null ? null : resolver.clientAddress(request);
        if (deniedKeys.contains(key) || (client != null && any(deniedAddresses, client))) {
            return Verdict.DENY;
        }
        InetAddress vouched = resolver == null || client == null || allowedAddresses.isEmpty()
                ? null : resolver.vouchedClientAddress(request);
        if (allowedKeys.contains(key) || (vouched != null && any(allowedAddresses, vouched))) {
            return Verdict.ALLOW;
        }
        return Verdict.LIMIT;
    }

    List<String> allowedAddresses() {
        return allowedAddresses.stream().map(Cidr::toString).toList();
    }

    List<String> deniedAddresses() {
        return deniedAddresses.stream().map(Cidr::toString).toList();
    }

    int allowedKeys() {
        return allowedKeys.size();
    }

    int deniedKeys() {
        return deniedKeys.size();
    }

    Optional<ClientIpResolver.Config> clientIpConfig() {
        return clientIp == null ? Optional.empty() : Optional.of(clientIp.config());
    }

    private static boolean any(List<Cidr> networks, InetAddress address) {
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Collects the lists for {@link RateLimitRules.Builder}. Not thread-safe. */
    static final class Builder {
        final List<Cidr> allowedAddresses = new ArrayList<>();
        final List<Cidr> deniedAddresses = new ArrayList<>();
        final Set<String> allowedKeys = new HashSet<>();
        final Set<String> deniedKeys = new HashSet<>();
        @Nullable ClientIpResolver clientIp;

        void addresses(List<Cidr> list, String parameter, String... addresses) {
            for (String address : addresses) {
                list.add(Cidr.parse(parameter, address));
            }
        }

        void keys(Set<String> set, String parameter, String... keys) {
            for (String key : keys) {
                if (key == null || key.isEmpty()) {
                    throw new IllegalArgumentException(parameter + " must not hold a null or empty key");
                }
                set.add(key);
            }
        }

        AccessLists build(KeyResolver keyResolver) {
            ClientIpResolver resolver = clientIp != null ? clientIp
                    : keyResolver instanceof ClientIpResolver ips ? ips : null;
            if (resolver == null && !(allowedAddresses.isEmpty() && deniedAddresses.isEmpty())) {
                throw new IllegalStateException("allowAddresses/denyAddresses need clientIp(ClientIpResolver) when the key "
                        + "resolver is not a ClientIpResolver: say how the client's address is found");
            }
            return new AccessLists(this, allowedAddresses.isEmpty() && deniedAddresses.isEmpty() ? null : resolver);
        }
    }
}
