<#import "template.ftl" as layout>
<#-- Attributes: request {..., columns}, decision {approver.username, comment, stage}, link? -->
<@layout.emailLayout>
${kcSanitize(msg("jitRequestDeniedBody", request.datasource, decision.approver.username))?no_esc}
<p>${msg("jitEmailColumns")}: <#list request.columns as column><code>${column}</code><#sep>, </#list></p>
<#if decision.comment?has_content><p>${msg("jitEmailComment")}: ${decision.comment}</p></#if>
<#if link?has_content><p><a href="${link}">${msg("jitEmailOpenAccount")}</a></p></#if>
</@layout.emailLayout>
