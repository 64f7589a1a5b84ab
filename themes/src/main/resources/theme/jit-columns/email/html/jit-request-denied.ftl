<#import "template.ftl" as layout>
<#-- Attributes: request, decision {approver.username, comment}, link -->
<@layout.emailLayout>
${kcSanitize(msg("jitRequestDeniedBody", request.datasource, decision.approver.username))?no_esc}
<#if decision.comment?has_content><p>${msg("jitEmailComment")}: ${decision.comment}</p></#if>
<p><a href="${link}">${msg("jitEmailOpenAccount")}</a></p>
</@layout.emailLayout>
