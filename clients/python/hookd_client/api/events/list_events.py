import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.event_summary_view_page import EventSummaryViewPage
from ...models.problem import Problem
from ...models.sort_order import SortOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params["q"] = q

    params["type"] = type_

    json_since: str | Unset = UNSET
    if not isinstance(since, Unset):
        json_since = since.isoformat()
    params["since"] = json_since

    json_until: str | Unset = UNSET
    if not isinstance(until, Unset):
        json_until = until.isoformat()
    params["until"] = json_until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org}/events".format(
            org=quote(str(org), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventSummaryViewPage | Problem:
    if response.status_code == 200:
        response_200 = EventSummaryViewPage.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EventSummaryViewPage | Problem]:
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
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[EventSummaryViewPage | Problem]:
    """List events, newest first, with their deliveries counted

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        type_ (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventSummaryViewPage | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        limit=limit,
        cursor=cursor,
        order=order,
        q=q,
        type_=type_,
        since=since,
        until=until,
        idempotency_key=idempotency_key,
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
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> EventSummaryViewPage | Problem | None:
    """List events, newest first, with their deliveries counted

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        type_ (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventSummaryViewPage | Problem
    """

    return sync_detailed(
        org=org,
        client=client,
        limit=limit,
        cursor=cursor,
        order=order,
        q=q,
        type_=type_,
        since=since,
        until=until,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[EventSummaryViewPage | Problem]:
    """List events, newest first, with their deliveries counted

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        type_ (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventSummaryViewPage | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        limit=limit,
        cursor=cursor,
        order=order,
        q=q,
        type_=type_,
        since=since,
        until=until,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> EventSummaryViewPage | Problem | None:
    """List events, newest first, with their deliveries counted

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        type_ (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventSummaryViewPage | Problem
    """

    return (
        await asyncio_detailed(
            org=org,
            client=client,
            limit=limit,
            cursor=cursor,
            order=order,
            q=q,
            type_=type_,
            since=since,
            until=until,
            idempotency_key=idempotency_key,
        )
    ).parsed
