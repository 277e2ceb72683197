import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.attempt_summary_page import AttemptSummaryPage
from ...models.problem import Problem
from ...models.sort_order import SortOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    q: str | Unset = UNSET,
    webhook_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
    result: str | Unset = UNSET,
    delivery_id: str | Unset = UNSET,
    status: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
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

    params["webhook_id"] = webhook_id

    params["event_type"] = event_type

    params["result"] = result

    params["delivery_id"] = delivery_id

    params["status"] = status

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
        "url": "/api/v1/orgs/{org}/attempts".format(
            org=quote(str(org), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AttemptSummaryPage | Problem:
    if response.status_code == 200:
        response_200 = AttemptSummaryPage.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AttemptSummaryPage | Problem]:
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
    webhook_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
    result: str | Unset = UNSET,
    delivery_id: str | Unset = UNSET,
    status: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> Response[AttemptSummaryPage | Problem]:
    """List attempts

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        webhook_id (str | Unset):
        event_type (str | Unset):
        result (str | Unset):
        delivery_id (str | Unset):
        status (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttemptSummaryPage | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        limit=limit,
        cursor=cursor,
        sort=sort,
        order=order,
        q=q,
        webhook_id=webhook_id,
        event_type=event_type,
        result=result,
        delivery_id=delivery_id,
        status=status,
        since=since,
        until=until,
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
    webhook_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
    result: str | Unset = UNSET,
    delivery_id: str | Unset = UNSET,
    status: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> AttemptSummaryPage | Problem | None:
    """List attempts

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        webhook_id (str | Unset):
        event_type (str | Unset):
        result (str | Unset):
        delivery_id (str | Unset):
        status (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttemptSummaryPage | Problem
    """

    return sync_detailed(
        org=org,
        client=client,
        limit=limit,
        cursor=cursor,
        sort=sort,
        order=order,
        q=q,
        webhook_id=webhook_id,
        event_type=event_type,
        result=result,
        delivery_id=delivery_id,
        status=status,
        since=since,
        until=until,
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
    webhook_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
    result: str | Unset = UNSET,
    delivery_id: str | Unset = UNSET,
    status: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> Response[AttemptSummaryPage | Problem]:
    """List attempts

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        webhook_id (str | Unset):
        event_type (str | Unset):
        result (str | Unset):
        delivery_id (str | Unset):
        status (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttemptSummaryPage | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        limit=limit,
        cursor=cursor,
        sort=sort,
        order=order,
        q=q,
        webhook_id=webhook_id,
        event_type=event_type,
        result=result,
        delivery_id=delivery_id,
        status=status,
        since=since,
        until=until,
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
    webhook_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
    result: str | Unset = UNSET,
    delivery_id: str | Unset = UNSET,
    status: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> AttemptSummaryPage | Problem | None:
    """List attempts

    Args:
        org (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        order (SortOrder | Unset): A listing's order
        q (str | Unset):
        webhook_id (str | Unset):
        event_type (str | Unset):
        result (str | Unset):
        delivery_id (str | Unset):
        status (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttemptSummaryPage | Problem
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
            webhook_id=webhook_id,
            event_type=event_type,
            result=result,
            delivery_id=delivery_id,
            status=status,
            since=since,
            until=until,
        )
    ).parsed
