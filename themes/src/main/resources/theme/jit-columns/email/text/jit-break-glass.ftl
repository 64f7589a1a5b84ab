<#ftl output_format="plainText">
${msg("jitBreakGlassBodyText", request.requester.username, request.datasource, expiresAt)}

${msg("jitEmailColumns")}: <#list request.columns as column>${column}<#sep>, </#list>
${msg("jitEmailReason")}: ${request.reason}
<#if request.ticket?has_content>${msg("jitEmailTicket")}: ${request.ticket}
</#if><#if link?has_content>
${msg("jitEmailOpenAdmin")}: ${link}
</#if>
