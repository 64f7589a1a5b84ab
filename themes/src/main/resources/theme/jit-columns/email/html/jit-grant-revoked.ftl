<#import "template.ftl" as layout>
<#-- Attributes: grant (the REST representation: datasource, columns, revokedBy, revokeReason), link? -->
<@layout.emailLayout>
${kcSanitize(msg("jitGrantRevokedBody", grant.datasource, grant.revokedBy))?no_esc}
<p>${msg("jitEmailColumns")}: <#list grant.columns as column><code>${column}</code><#sep>, </#list></p>
<#if grant.revokeReason?has_content><p>${msg("jitEmailReason")}: ${grant.revokeReason}</p></#if>
<#if link?has_content><p><a href="${link}">${msg("jitEmailOpenAccount")}</a></p></#if>
</@layout.emailLayout>
