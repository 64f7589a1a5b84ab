<#import "template.ftl" as layout>
<#-- Attributes: request {..., columns}, grant {expiresAt, ...}, expiresAt (formatted, UTC), link? -->
<@layout.emailLayout>
${kcSanitize(msg("jitRequestApprovedBody", request.datasource, expiresAt))?no_esc}
<p>${msg("jitEmailColumns")}: <#list request.columns as column><code>${column}</code><#sep>, </#list></p>
<#if link?has_content><p><a href="${link}">${msg("jitEmailOpenAccount")}</a></p></#if>
</@layout.emailLayout>
