package dev.jitcolumns.keycloak.model;

import java.time.Instant;

/** One approver's decision on one stage of a request. */
public record DecisionRecord(int stageIndex, String stage, String approverId, String approverUsername,
                             Decision decision, String comment, Instant at) {}
