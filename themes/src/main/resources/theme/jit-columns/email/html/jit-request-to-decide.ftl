<#import "template.ftl" as layout>
<#-- Attributes: request (the REST representation: requester.username, datasource, columns, reason, ticket, durationMinutes, currentStage, extendsGrant?), link? -->
<@layout.emailLayout>
${kcSanitize(msg((request.extendsGrant??)?then("jitExtensionToDecideBody", "jitRequestToDecideBody"), request.requester.username, request.datasource, request.durationMinutes))?no_esc}
<table>
  <tr><td>${msg("jitEmailColumns")}</td><td><#list request.columns as column><code>${column}</code><#sep>, </#list></td></tr>
  <tr><td>${msg("jitEmailReason")}</td><td>${request.reason}</td></tr>
  <#if request.ticket?has_content><tr><td>${msg("jitEmailTicket")}</td><td>${request.ticket}</td></tr></#if>
  <#if request.currentStage?has_content><tr><td>${msg("jitEmailStage")}</td><td>${request.currentStage}</td></tr></#if>
</table>
<#if link?has_content><p><a href="${link}">${msg("jitEmailOpenAdmin")}</a></p></#if>
</@layout.emailLayout>
