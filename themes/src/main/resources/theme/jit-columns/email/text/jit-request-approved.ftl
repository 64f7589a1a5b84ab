<#ftl output_format="plainText">
${msg("jitRequestApprovedBodyText", request.datasource, expiresAt)}

${msg("jitEmailColumns")}: <#list request.columns as column>${column}<#sep>, </#list>
<#if link?has_content>
${msg("jitEmailOpenAccount")}: ${link}
</#if>
