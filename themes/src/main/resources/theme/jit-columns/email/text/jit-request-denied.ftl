<#ftl output_format="plainText">
${msg("jitRequestDeniedBodyText", request.datasource, decision.approver.username)}

${msg("jitEmailColumns")}: <#list request.columns as column>${column}<#sep>, </#list>
<#if decision.comment?has_content>${msg("jitEmailComment")}: ${decision.comment}
</#if><#if link?has_content>
${msg("jitEmailOpenAccount")}: ${link}
</#if>
