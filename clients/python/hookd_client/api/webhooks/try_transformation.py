from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transformation_outcome import TransformationOutcome
from ...models.transformation_trial import TransformationTrial
from ...types import Response


def _get_kwargs(
    org: str,
    *,
    body: TransformationTrial,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org}/webhooks:try-transformation".format(
            org=quote(str(org), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TransformationOutcome:
    if response.status_code == 200:
        response_200 = TransformationOutcome.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TransformationOutcome]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransformationTrial,
) -> Response[Problem | TransformationOutcome]:
    """Run transformation code on an event (the type's example by default): the request it would send, a
    cancel, or why it failed

    Args:
        org (str):
        body (TransformationTrial): Transformation code and the event to try it on. Example:
            {'code': 'function handler(webhook) {\\n  webhook.payload = {text: `New
            ${webhook.eventType}`};\\n  return webhook;\\n}', 'event_type': 'invoice.paid'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransformationOutcome]
    """

    kwargs = _get_kwargs(
        org=org,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransformationTrial,
) -> Problem | TransformationOutcome | None:
    """Run transformation code on an event (the type's example by default): the request it would send, a
    cancel, or why it failed

    Args:
        org (str):
        body (TransformationTrial): Transformation code and the event to try it on. Example:
            {'code': 'function handler(webhook) {\\n  webhook.payload = {text: `New
            ${webhook.eventType}`};\\n  return webhook;\\n}', 'event_type': 'invoice.paid'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransformationOutcome
    """

    return sync_detailed(
        org=org,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransformationTrial,
) -> Response[Problem | TransformationOutcome]:
    """Run transformation code on an event (the type's example by default): the request it would send, a
    cancel, or why it failed

    Args:
        org (str):
        body (TransformationTrial): Transformation code and the event to try it on. Example:
            {'code': 'function handler(webhook) {\\n  webhook.payload = {text: `New
            ${webhook.eventType}`};\\n  return webhook;\\n}', 'event_type': 'invoice.paid'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransformationOutcome]
    """

    kwargs = _get_kwargs(
        org=org,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransformationTrial,
) -> Problem | TransformationOutcome | None:
    """Run transformation code on an event (the type's example by default): the request it would send, a
    cancel, or why it failed

    Args:
        org (str):
        body (TransformationTrial): Transformation code and the event to try it on. Example:
            {'code': 'function handler(webhook) {\\n  webhook.payload = {text: `New
            ${webhook.eventType}`};\\n  return webhook;\\n}', 'event_type': 'invoice.paid'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransformationOutcome
    """

    return (
        await asyncio_detailed(
            org=org,
            client=client,
            body=body,
        )
    ).parsed
