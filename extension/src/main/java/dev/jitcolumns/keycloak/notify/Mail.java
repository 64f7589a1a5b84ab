package dev.jitcolumns.keycloak.notify;

/**
 * The notification mails: a template of the email theme ({@code email/html/} and {@code email/text/}), the message key
 * of its subject, and which console its link opens. Template names and keys are the theme's contract: a realm theme
 * that overrides one keeps the name.
 */
public enum Mail {
    /** To the approvers of the stage now waiting. */
    TO_DECIDE("jit-request-to-decide.ftl", "jitRequestToDecideSubject", Console.ADMIN),
    /** To the requester, at final approval. */
    APPROVED("jit-request-approved.ftl", "jitRequestApprovedSubject", Console.ACCOUNT),
    /** To the requester. */
    DENIED("jit-request-denied.ftl", "jitRequestDeniedSubject", Console.ACCOUNT),
    /** To the approvers of every stage of the policy: the grant already runs and is flagged for review. */
    BREAK_GLASS("jit-break-glass.ftl", "jitBreakGlassSubject", Console.ADMIN),
    /** To the policy's escalation group, when a request waited too long. */
    ESCALATED("jit-request-escalated.ftl", "jitRequestEscalatedSubject", Console.ADMIN),
    /** To the grant holder. */
    REVOKED("jit-grant-revoked.ftl", "jitGrantRevokedSubject", Console.ACCOUNT);

    /** Approvers act in the admin console; requesters follow their access in the account console. */
    public enum Console { ADMIN, ACCOUNT }

    private final String template;
    private final String subjectKey;
    private final Console console;

    Mail(String template, String subjectKey, Console console) {
        this.template = template;
        this.subjectKey = subjectKey;
        this.console = console;
    }

    public String template() {
        return template;
    }

    public String subjectKey() {
        return subjectKey;
    }

    public Console console() {
        return console;
    }
}
