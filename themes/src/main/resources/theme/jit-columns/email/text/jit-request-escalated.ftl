<#ftl output_format="plainText">
${msg("jitRequestEscalatedBodyText", request.requester.username, request.datasource, requestedAt)}

${msg("jitEmailColumns")}: <#list request.columns as column>${column}<#sep>, </#list>
${msg("jitEmailReason")}: ${request.reason}
<#if request.ticket?has_content>${msg("jitEmailTicket")}: ${request.ticket}
</#if><#if request.currentStage?has_content>${msg("jitEmailStageWaiting")}: ${request.currentStage}
</#if><#if link?has_content>
${msg("jitEmailOpenAdmin")}: ${link}
</#if>
