<#import "template.ftl" as layout>
<#-- Attributes: request {..., columns, grant.expiresAt}, expiresAt (formatted), link -->
<@layout.emailLayout>
${kcSanitize(msg("jitRequestApprovedBody", request.datasource, expiresAt))?no_esc}
<p>${msg("jitEmailColumns")}: <#list request.columns as column><code>${column}</code><#sep>, </#list></p>
<p><a href="${link}">${msg("jitEmailOpenAccount")}</a></p>
</@layout.emailLayout>
