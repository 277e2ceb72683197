from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_in import WebhookIn
from ...models.webhook_view import WebhookView
from ...types import Response


def _get_kwargs(
    org: str,
    *,
    body: WebhookIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org}/webhooks".format(
            org=quote(str(org), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookView:
    if response.status_code == 201:
        response_201 = WebhookView.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookView]:
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
    body: WebhookIn,
) -> Response[Problem | WebhookView]:
    """Create a webhook (the answer carries the signing secret, this once)

    Args:
        org (str):
        body (WebhookIn): A new webhook: name, URL and event types are required, the rest has
            defaults. Example: {'auth': {'password': 's3cret', 'type': 'basic', 'username': 'hookd'},
            'event_types': ['user.created'], 'name': 'CRM sync', 'options': {'headers': {'X-Team':
            'crm'}, 'max_events_per_request': 10}, 'url': 'https://example.com/hook'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookView]
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
    body: WebhookIn,
) -> Problem | WebhookView | None:
    """Create a webhook (the answer carries the signing secret, this once)

    Args:
        org (str):
        body (WebhookIn): A new webhook: name, URL and event types are required, the rest has
            defaults. Example: {'auth': {'password': 's3cret', 'type': 'basic', 'username': 'hookd'},
            'event_types': ['user.created'], 'name': 'CRM sync', 'options': {'headers': {'X-Team':
            'crm'}, 'max_events_per_request': 10}, 'url': 'https://example.com/hook'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookView
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
    body: WebhookIn,
) -> Response[Problem | WebhookView]:
    """Create a webhook (the answer carries the signing secret, this once)

    Args:
        org (str):
        body (WebhookIn): A new webhook: name, URL and event types are required, the rest has
            defaults. Example: {'auth': {'password': 's3cret', 'type': 'basic', 'username': 'hookd'},
            'event_types': ['user.created'], 'name': 'CRM sync', 'options': {'headers': {'X-Team':
            'crm'}, 'max_events_per_request': 10}, 'url': 'https://example.com/hook'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookView]
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
    body: WebhookIn,
) -> Problem | WebhookView | None:
    """Create a webhook (the answer carries the signing secret, this once)

    Args:
        org (str):
        body (WebhookIn): A new webhook: name, URL and event types are required, the rest has
            defaults. Example: {'auth': {'password': 's3cret', 'type': 'basic', 'username': 'hookd'},
            'event_types': ['user.created'], 'name': 'CRM sync', 'options': {'headers': {'X-Team':
            'crm'}, 'max_events_per_request': 10}, 'url': 'https://example.com/hook'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookView
    """

    return (
        await asyncio_detailed(
            org=org,
            client=client,
            body=body,
        )
    ).parsed
