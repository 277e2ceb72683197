from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sort_order import SortOrder
from ...models.webhook_view_page import WebhookViewPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["sort"] = sort

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params["q"] = q

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org}/webhooks".format(
            org=quote(str(org), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookViewPage:
    if response.status_code == 200:
        response_200 = WebhookViewPage.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookViewPage]:
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Response[Problem | WebhookViewPage]:
    """List webhooks (sort: name, url, owner, created_at, status, last_triggered_at)

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookViewPage]
    """

    kwargs = _get_kwargs(
        org=org,
        limit=limit,
        cursor=cursor,
        sort=sort,
        order=order,
        q=q,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Problem | WebhookViewPage | None:
    """List webhooks (sort: name, url, owner, created_at, status, last_triggered_at)

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookViewPage
    """

    return sync_detailed(
        org=org,
        client=client,
        limit=limit,
        cursor=cursor,
        sort=sort,
        order=order,
        q=q,
    ).parsed


async def asyncio_detailed(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Response[Problem | WebhookViewPage]:
    """List webhooks (sort: name, url, owner, created_at, status, last_triggered_at)

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookViewPage]
    """

    kwargs = _get_kwargs(
        org=org,
        limit=limit,
        cursor=cursor,
        sort=sort,
        order=order,
        q=q,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Problem | WebhookViewPage | None:
    """List webhooks (sort: name, url, owner, created_at, status, last_triggered_at)

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookViewPage
    """

    return (
        await asyncio_detailed(
            org=org,
            client=client,
            limit=limit,
            cursor=cursor,
            sort=sort,
            order=order,
            q=q,
        )
    ).parsed
