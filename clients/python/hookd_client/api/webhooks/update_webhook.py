from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_patch import WebhookPatch
from ...models.webhook_view import WebhookView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    id: str,
    *,
    body: WebhookPatch,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/orgs/{org}/webhooks/{id}".format(
            org=quote(str(org), safe=""),
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookView:
    if response.status_code == 200:
        response_200 = WebhookView.from_dict(response.json())

        return response_200

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
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookPatch,
    if_match: str | Unset = UNSET,
) -> Response[Problem | WebhookView]:
    """Update a webhook: absent fields stay; send If-Match with the ETag to edit only what you read

    Args:
        org (str):
        id (str):
        if_match (str | Unset):
        body (WebhookPatch): An edit: an absent field stays as it is; `null` clears the optional
            ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookView]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookPatch,
    if_match: str | Unset = UNSET,
) -> Problem | WebhookView | None:
    """Update a webhook: absent fields stay; send If-Match with the ETag to edit only what you read

    Args:
        org (str):
        id (str):
        if_match (str | Unset):
        body (WebhookPatch): An edit: an absent field stays as it is; `null` clears the optional
            ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookView
    """

    return sync_detailed(
        org=org,
        id=id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookPatch,
    if_match: str | Unset = UNSET,
) -> Response[Problem | WebhookView]:
    """Update a webhook: absent fields stay; send If-Match with the ETag to edit only what you read

    Args:
        org (str):
        id (str):
        if_match (str | Unset):
        body (WebhookPatch): An edit: an absent field stays as it is; `null` clears the optional
            ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookView]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookPatch,
    if_match: str | Unset = UNSET,
) -> Problem | WebhookView | None:
    """Update a webhook: absent fields stay; send If-Match with the ETag to edit only what you read

    Args:
        org (str):
        id (str):
        if_match (str | Unset):
        body (WebhookPatch): An edit: an absent field stays as it is; `null` clears the optional
            ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookView
    """

    return (
        await asyncio_detailed(
            org=org,
            id=id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
