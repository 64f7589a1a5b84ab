package dev.jitcolumns.keycloak.notify;

import dev.jitcolumns.keycloak.model.Stage;
import java.util.List;
import java.util.Set;

/**
 * Who receives a mail, before it is resolved to users: the approvers of {@code stages} (a group path, members of
 * subgroups included, or a realm role), the users {@code userIds}, never the users {@code excludedUserIds}.
 */
public record Audience(List<Stage> stages, List<String> userIds, Set<String> excludedUserIds) {

    public Audience {
        stages = List.copyOf(stages);
        userIds = List.copyOf(userIds);
        excludedUserIds = Set.copyOf(excludedUserIds);
    }

    static Audience approversOf(List<Stage> stages, Set<String> excluded) {
        return new Audience(stages, List.of(), excluded);
    }

    static Audience user(String userId) {
        return new Audience(List.of(), List.of(userId), Set.of());
    }
}
