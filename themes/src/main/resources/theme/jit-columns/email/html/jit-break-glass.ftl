<#import "template.ftl" as layout>
<#-- Attributes: request {id, requester.username, datasource, columns, reason, ticket}, grant, expiresAt (formatted, UTC), link? -->
<@layout.emailLayout>
${kcSanitize(msg("jitBreakGlassBody", request.requester.username, request.datasource, expiresAt))?no_esc}
<table>
  <tr><td>${msg("jitEmailColumns")}</td><td><#list request.columns as column><code>${column}</code><#sep>, </#list></td></tr>
  <tr><td>${msg("jitEmailReason")}</td><td>${request.reason}</td></tr>
  <#if request.ticket?has_content><tr><td>${msg("jitEmailTicket")}</td><td>${request.ticket}</td></tr></#if>
</table>
<#if link?has_content><p><a href="${link}">${msg("jitEmailOpenAdmin")}</a></p></#if>
</@layout.emailLayout>
