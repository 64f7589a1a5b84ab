<#ftl output_format="plainText">
${msg("jitGrantRevokedBodyText", grant.datasource, grant.revokedBy)}

${msg("jitEmailColumns")}: <#list grant.columns as column>${column}<#sep>, </#list>
<#if grant.revokeReason?has_content>${msg("jitEmailReason")}: ${grant.revokeReason}
</#if><#if link?has_content>
${msg("jitEmailOpenAccount")}: ${link}
</#if>
